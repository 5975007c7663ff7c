/**
 * Issue 9, cases 2 and 6e, through the real shells: absurd or malformed
 * token counts leave the call unpriced (`invalid_usage`) with one warning,
 * and never reach a span cost or a counter. Expected prices are published
 * ones (gpt-4o: $2.50 per million input tokens, $10 per million output).
 */
import {
  diag,
  DiagLogLevel,
  metrics,
  type Attributes,
  type AttributeValue,
  type DiagLogger,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CostEnrichingSpanExporter,
  CostSpanProcessor,
  recordLlmCall,
} from '../../src/index.js';
import { GPT_4O } from '../core/price/published-prices.js';
import {
  pointsByMetric,
  setupMeter,
  sumBy,
  total,
} from '../metrics/collecting-reader.js';

afterEach(() => {
  diag.disable();
  metrics.disable();
});

/** Every diag warning, for counting the invalid_usage ones. */
function captureWarnings(): string[] {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: () => {},
    warn: (message: string) => warnings.push(message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return warnings;
}

function setup(options: { overrides?: CostSpanProcessorOverrides } = {}) {
  const { reader, meterProvider } = setupMeter();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new CostSpanProcessor({
        env: {},
        metrics: { meterProvider, env: {} },
        ...(options.overrides === undefined
          ? {}
          : { overrides: options.overrides }),
      }),
      new SimpleSpanProcessor(exporter),
    ],
  });
  const tracer = provider.getTracer('gen_ai-test');
  const end = (attributes: Attributes): ReadableSpan => {
    tracer.startSpan('chat gpt-4o', { attributes }).end();
    const spans = exporter.getFinishedSpans();
    return spans[spans.length - 1] as ReadableSpan;
  };
  const counters = async () => {
    const points = pointsByMetric(await reader.collect());
    return {
      cost: points.get('gen_ai.client.cost'),
      costTotal: total(points.get('gen_ai.client.cost')),
      tokens: Object.fromEntries(
        sumBy(
          points.get('gen_ai.client.cost.tokens') ?? [],
          'gen_ai.token.type',
        ),
      ),
      calls: total(points.get('gen_ai.client.cost.calls')),
      unpriced: Object.fromEntries(
        sumBy(
          points.get('gen_ai.client.cost.unpriced_calls') ?? [],
          'gen_ai.cost.unpriced_reason',
        ),
      ),
      all: points,
    };
  };
  return { provider, meterProvider, tracer, exporter, end, counters };
}

type CostSpanProcessorOverrides = NonNullable<
  ConstructorParameters<typeof CostSpanProcessor>[0]
>['overrides'];

const GPT_4O_CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
};

/** $ for gpt-4o from the published rates. */
const gpt4o = (input: number, output: number) =>
  (input * GPT_4O.inputPerMTok + output * GPT_4O.outputPerMTok) / 1e6;

function expectInvalidUsageSpan(span: ReadableSpan): void {
  const attributes = span.attributes;
  expect(attributes['gen_ai.cost.source']).toBe('unpriced');
  expect(attributes['gen_ai.cost.unpriced_reason']).toBe('invalid_usage');
  expect(attributes['gen_ai.cost.issues']).toEqual(['invalid_usage']);
  for (const key of [
    'gen_ai.usage.cost',
    'gen_ai.cost.input',
    'gen_ai.cost.output',
    'gen_ai.cost.cache_read',
    'gen_ai.cost.cache_write',
  ]) {
    expect(attributes[key], key).toBeUndefined();
  }
}

function expectFinite(points: ReturnType<typeof pointsByMetric>): void {
  for (const [name, list] of points) {
    for (const point of list) {
      expect(Number.isFinite(point.value), name).toBe(true);
      expect(point.value, name).toBeGreaterThanOrEqual(0);
    }
  }
}

// The reproductions, each under the input key with a valid output
// (so "priced on output alone" would show), and under the output key.
const REPRODUCTIONS: readonly (readonly [string, AttributeValue])[] = [
  ['1e308 (double)', 1e308],
  ['int64 max as a double', Number('9223372036854775807')],
  ['the string "1e20"', '1e20'],
  ['-5', -5],
  ['true', true],
  ['NaN', Number.NaN],
  ['the string "0x10"', '0x10'],
  // Variants of our own.
  ['Infinity', Number.POSITIVE_INFINITY],
  ['12.5', 12.5],
  ['the string "12.5"', '12.5'],
  ['the string " 12 "', ' 12 '],
  ['the string "-5"', '-5'],
  ['the string "Infinity"', 'Infinity'],
  ['the empty string', ''],
  ['one above the ceiling', 1_000_000_001],
  ['2^53 + 2', 2 ** 53 + 2],
  ['an array', [1, 2]],
];

describe('CostSpanProcessor: invalid token counts (issue 9, cases 2 and 6e)', () => {
  it.each(REPRODUCTIONS)(
    'input tokens %s: unpriced (invalid_usage), one warning, counters untouched',
    async (_label, bad) => {
      const warnings = captureWarnings();
      const { provider, meterProvider, end, counters } = setup();
      // A valid call first: the baseline the bad ones must not move.
      const good = end({
        ...GPT_4O_CHAT,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 500,
      });
      expect(good.attributes['gen_ai.usage.cost']).toBeCloseTo(
        gpt4o(1000, 500),
        12,
      );
      for (let i = 0; i < 3; i++) {
        expectInvalidUsageSpan(
          end({
            ...GPT_4O_CHAT,
            'gen_ai.usage.input_tokens': bad,
            'gen_ai.usage.output_tokens': 100,
          }),
        );
        expectInvalidUsageSpan(
          end({
            ...GPT_4O_CHAT,
            'gen_ai.usage.input_tokens': 100,
            'gen_ai.usage.output_tokens': bad,
          }),
        );
      }
      const after = await counters();
      expect(after.costTotal).toBeCloseTo(gpt4o(1000, 500), 12);
      expect(after.tokens).toEqual({ input: 1000, output: 500 });
      expect(after.calls).toBe(7);
      expect(after.unpriced).toEqual({ invalid_usage: 6 });
      expectFinite(after.all);
      // Rate-limited: one warning per (reason, provider, model).
      expect(
        warnings.filter(message => message.includes('invalid_usage')),
      ).toHaveLength(1);
      await provider.shutdown();
      await meterProvider.shutdown();
    },
  );

  it('two spans with 1e308 input: the cost and token counters stay finite and unmoved (the issue reported 5e302 and +Inf)', async () => {
    const { provider, meterProvider, end, counters } = setup();
    for (let i = 0; i < 2; i++) {
      expectInvalidUsageSpan(
        end({
          ...GPT_4O_CHAT,
          'gen_ai.usage.input_tokens': 1e308,
          'gen_ai.usage.output_tokens': 10,
        }),
      );
    }
    const after = await counters();
    expect(after.cost).toBeUndefined();
    expect(after.tokens).toEqual({});
    expect(after.unpriced).toEqual({ invalid_usage: 2 });
    await provider.shutdown();
    await meterProvider.shutdown();
  });

  it('an invalid value under the preferred key never falls through to an alias', () => {
    const { end } = setup();
    expectInvalidUsageSpan(
      end({
        ...GPT_4O_CHAT,
        'gen_ai.usage.input_tokens': '0x10',
        'gen_ai.usage.prompt_tokens': 1000, // the older alias
        'gen_ai.usage.output_tokens': 100,
      }),
    );
    // ...nor the alias under the preferred key.
    expectInvalidUsageSpan(
      end({
        ...GPT_4O_CHAT,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.prompt_tokens': -5,
        'gen_ai.usage.output_tokens': 100,
      }),
    );
  });

  it.each([
    ['cache read', 'gen_ai.usage.cache_read.input_tokens'],
    ['cache write', 'gen_ai.usage.cache_creation.input_tokens'],
    ['reasoning', 'gen_ai.usage.reasoning.output_tokens'],
  ])('an invalid %s count is invalid usage too', (_label, key) => {
    const { end } = setup();
    expectInvalidUsageSpan(
      end({
        ...GPT_4O_CHAT,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
        [key]: -1,
      }),
    );
  });

  it.each<readonly [string, Attributes]>([
    [
      'AI SDK',
      {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4o',
        'ai.usage.promptTokens': 1e308,
        'ai.usage.completionTokens': 10,
      },
    ],
    [
      'AI SDK provider metadata',
      {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4o',
        'ai.usage.promptTokens': 100,
        'ai.usage.completionTokens': 10,
        'ai.response.providerMetadata':
          '{"openai":{"cachedPromptTokens":"0x10"}}',
      },
    ],
    [
      'OpenInference',
      {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'openai',
        'llm.model_name': 'gpt-4o',
        'llm.token_count.prompt': true,
        'llm.token_count.completion': 10,
      },
    ],
    [
      'OpenInference audio',
      {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'openai',
        'llm.model_name': 'gpt-4o',
        'llm.token_count.prompt': 100,
        'llm.token_count.completion': 10,
        'llm.token_count.prompt_details.audio': Number.NaN,
      },
    ],
    [
      'Langfuse usage details',
      {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o',
        'langfuse.observation.usage_details':
          '{"input":9223372036854775807,"output":10}',
      },
    ],
    [
      'Langfuse usage details that are not JSON',
      {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o',
        'langfuse.observation.usage_details': '{"input":1',
      },
    ],
  ])('%s: invalid usage', (_label, attributes) => {
    const { end } = setup();
    expectInvalidUsageSpan(end(attributes));
  });

  it('valid counts are still priced at published prices, as ints, doubles or decimal strings', async () => {
    const { provider, meterProvider, end, counters } = setup();
    const asInt = end({
      ...GPT_4O_CHAT,
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 300,
    });
    const asString = end({
      ...GPT_4O_CHAT,
      'gen_ai.usage.input_tokens': '2000',
      'gen_ai.usage.output_tokens': '300',
    });
    const asDouble = end({
      ...GPT_4O_CHAT,
      'gen_ai.usage.input_tokens': 2000.0,
      'gen_ai.usage.output_tokens': 3e2,
    });
    for (const span of [asInt, asString, asDouble]) {
      expect(span.attributes['gen_ai.cost.source']).toBe('price_table');
      expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(
        gpt4o(2000, 300),
        12,
      );
    }
    const after = await counters();
    // The span and the counter agree, exactly.
    expect(after.costTotal).toBe(
      [asInt, asString, asDouble].reduce(
        (sum, span) => sum + (span.attributes['gen_ai.usage.cost'] as number),
        0,
      ),
    );
    expect(after.tokens).toEqual({ input: 6000, output: 900 });
    await provider.shutdown();
    await meterProvider.shutdown();
  });

  it('a computed cost above the per-call cap is unpriced (cost_above_cap), never counted', async () => {
    const warnings = captureWarnings();
    const { provider, meterProvider, end, counters } = setup({
      // $1,000,000 per million input tokens: 2M tokens would be $2M.
      overrides: [
        {
          provider: 'openai',
          model: 'absurd',
          inputPerMTokUsd: 1_000_000,
          outputPerMTokUsd: 0,
        },
      ],
    });
    const span = end({
      ...GPT_4O_CHAT,
      'gen_ai.request.model': 'absurd',
      'gen_ai.usage.input_tokens': 2_000_000,
      'gen_ai.usage.output_tokens': 0,
    });
    expect(span.attributes['gen_ai.cost.source']).toBe('unpriced');
    expect(span.attributes['gen_ai.cost.unpriced_reason']).toBe(
      'cost_above_cap',
    );
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    const after = await counters();
    expect(after.cost).toBeUndefined();
    expect(after.unpriced).toEqual({ cost_above_cap: 1 });
    expect(warnings.filter(m => m.includes('cost_above_cap'))).toHaveLength(1);
    await provider.shutdown();
    await meterProvider.shutdown();
  });

  it('invalid counts with a reported cost: the reported cost stands, flagged invalid_usage; span and counter agree', async () => {
    const { provider, meterProvider, end, counters } = setup();
    const span = end({
      ...GPT_4O_CHAT,
      'gen_ai.usage.input_tokens': 1e308,
      'gen_ai.usage.output_tokens': 10,
      'gen_ai.usage.cost': 0.042,
    });
    expect(span.attributes['gen_ai.cost.source']).toBe('provider');
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.042);
    expect(span.attributes['gen_ai.cost.issues']).toEqual(['invalid_usage']);
    const after = await counters();
    expect(after.costTotal).toBe(0.042);
    expect(after.tokens).toEqual({});
    await provider.shutdown();
    await meterProvider.shutdown();
  });

  it('invalid counts with an absurd reported cost: unpriced (invalid_usage)', () => {
    const { end } = setup();
    const span = end({
      ...GPT_4O_CHAT,
      'gen_ai.usage.input_tokens': -5,
      'gen_ai.usage.output_tokens': 10,
      'llm.cost.total': 5e12,
    });
    expectInvalidUsageSpan(span);
  });

  it('a reported cost above the cap is ignored: the call is priced from its tokens', () => {
    const { end } = setup();
    const span = end({
      ...GPT_4O_CHAT,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.usage.cost': 5e12,
    });
    expect(span.attributes['gen_ai.cost.source']).toBe('price_table');
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(
      gpt4o(1000, 500),
      12,
    );
  });
});

describe('recordLlmCall: invalid counts are kept, so the call is not priced on the others', () => {
  it.each<readonly [string, number]>([
    ['-5', -5],
    ['NaN', Number.NaN],
    ['1e308', 1e308],
    ['12.5', 12.5],
  ])('inputTokens %s: unpriced (invalid_usage)', async (_label, bad) => {
    const { provider, meterProvider, tracer, exporter, counters } = setup();
    recordLlmCall({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: bad, outputTokens: 100 },
      tracer,
    });
    const [span] = exporter.getFinishedSpans();
    expectInvalidUsageSpan(span as ReadableSpan);
    const after = await counters();
    expect(after.cost).toBeUndefined();
    expect(after.unpriced).toEqual({ invalid_usage: 1 });
    await provider.shutdown();
    await meterProvider.shutdown();
  });

  it('valid counts are priced at published prices', () => {
    const { tracer, exporter } = setup();
    recordLlmCall({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 1200, outputTokens: 300 },
      tracer,
    });
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['gen_ai.usage.cost']).toBeCloseTo(
      gpt4o(1200, 300),
      12,
    );
  });
});

describe('CostEnrichingSpanExporter: the same rule', () => {
  it('input tokens "0x10": unpriced (invalid_usage)', async () => {
    const inner = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor(
          new CostEnrichingSpanExporter(inner, { env: {}, metrics: false }),
        ),
      ],
    });
    provider
      .getTracer('gen_ai-test')
      .startSpan('chat gpt-4o', {
        attributes: {
          ...GPT_4O_CHAT,
          'gen_ai.usage.input_tokens': '0x10',
          'gen_ai.usage.output_tokens': 100,
        },
      })
      .end();
    await provider.forceFlush();
    const [span] = inner.getFinishedSpans();
    expectInvalidUsageSpan(span as ReadableSpan);
    await provider.shutdown();
  });
});
