/**
 * Issue 9, case 2, attacked with generated inputs: arbitrary values in every
 * token key of every emitter family (span attributes and the JSON bags the
 * readers open), through a real `CostSpanProcessor` and a real
 * MeterProvider. Whatever the values:
 * - the written cost is absent, or finite, >= 0 and <= the per-call cap;
 * - the cost counter's increment is exactly the cost on the span;
 * - the parts sum to the total;
 * - a value that is present and not a whole number from 0 to 1e9 (decided
 *   by this file's own oracle, not by the library) leaves the call unpriced
 *   with reason `invalid_usage`, and no token reaches a counter.
 */
import { diag, metrics, type Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../../src/index.js';
import {
  pointsByMetric,
  setupMeter,
  total,
} from '../metrics/collecting-reader.js';

/** The documented limits, restated here so the test does not trust src. */
const CEILING = 1_000_000_000;
const CAP_USD = 1_000_000;

/** The oracle: missing (undefined/null) or a whole number 0..1e9. */
function acceptable(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= CEILING;
  }
  if (typeof value === 'string') {
    return (
      /^[0-9]+$/.test(value) && value.length <= 10 && Number(value) <= CEILING
    );
  }
  return false;
}

interface Family {
  readonly name: string;
  readonly scope: string;
  readonly template: Attributes;
  /** Attribute keys the family reads token counts from. */
  readonly keys: readonly string[];
  /** A JSON attribute the family reads counts from, and its paths. */
  readonly json?: {
    readonly key: string;
    readonly paths: readonly (readonly string[])[];
  };
  /** Reported-cost keys, to mix reported costs in. */
  readonly costKeys: readonly string[];
}

const GEN_AI_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.input_tokens.cached',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'gen_ai.usage.input_tokens.cache_write',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
];

const FAMILIES: readonly Family[] = [
  {
    name: 'gen_ai',
    scope: 'test',
    template: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    },
    keys: GEN_AI_KEYS,
    costKeys: ['gen_ai.usage.cost'],
  },
  {
    name: 'traceloop',
    scope: '@traceloop/instrumentation-anthropic',
    template: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
    },
    keys: GEN_AI_KEYS,
    costKeys: ['gen_ai.usage.cost'],
  },
  {
    name: 'ai_sdk',
    scope: 'ai',
    template: {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': 'claude-sonnet-4-5',
    },
    keys: [
      'ai.usage.inputTokens',
      'gen_ai.usage.input_tokens',
      'ai.usage.promptTokens',
      'gen_ai.usage.prompt_tokens',
      'ai.usage.tokens',
      'ai.usage.outputTokens',
      'gen_ai.usage.output_tokens',
      'ai.usage.completionTokens',
      'gen_ai.usage.completion_tokens',
      'ai.usage.inputTokenDetails.noCacheTokens',
      'ai.usage.inputTokenDetails.cacheReadTokens',
      'ai.usage.cachedInputTokens',
      'gen_ai.usage.cache_read.input_tokens',
      'ai.usage.inputTokenDetails.cacheWriteTokens',
      'gen_ai.usage.cache_creation.input_tokens',
      'ai.usage.outputTokenDetails.reasoningTokens',
      'ai.usage.reasoningTokens',
    ],
    json: {
      key: 'ai.response.providerMetadata',
      paths: [
        ['openai', 'cachedPromptTokens'],
        ['anthropic', 'cacheReadInputTokens'],
        ['anthropic', 'usage', 'cache_read_input_tokens'],
        ['bedrock', 'usage', 'cacheReadInputTokens'],
        ['anthropic', 'cacheCreationInputTokens'],
        ['anthropic', 'usage', 'cache_creation_input_tokens'],
        ['bedrock', 'usage', 'cacheWriteInputTokens'],
        ['openai', 'reasoningTokens'],
      ],
    },
    costKeys: ['gen_ai.usage.cost'],
  },
  {
    name: 'openinference',
    scope: 'openinference',
    template: {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o',
    },
    keys: [
      'llm.token_count.prompt',
      'llm.token_count.completion',
      'llm.token_count.prompt_details.cache_read',
      'llm.token_count.prompt_details.cache_write',
      'llm.token_count.completion_details.reasoning',
      'llm.token_count.prompt_details.audio',
      'llm.token_count.completion_details.audio',
    ],
    costKeys: ['llm.cost.total'],
  },
  {
    name: 'langfuse',
    scope: 'langfuse-sdk',
    template: {
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
    },
    keys: GEN_AI_KEYS,
    json: {
      key: 'langfuse.observation.usage_details',
      paths: [
        'input',
        'prompt_tokens',
        'input_tokens',
        'output',
        'completion_tokens',
        'output_tokens',
        'input_cached_tokens',
        'cache_read_input_tokens',
        'input_cache_read',
        'input_cache_creation',
        'cache_creation_input_tokens',
        'input_cache_write',
        'output_reasoning_tokens',
        'output_reasoning',
      ].map(key => [key]),
    },
    costKeys: [],
  },
];

/** Plausible counts most of the time, every hostile shape some of the time. */
const count = fc.oneof(
  { weight: 16, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: CEILING }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: CEILING }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      1e308,
      2 ** 63,
      2 ** 64,
      Number.MAX_VALUE,
      Number.MAX_SAFE_INTEGER,
      2 ** 53 + 2,
      CEILING,
      CEILING + 1,
      -5,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      12.5,
      true,
      false,
      '0x10',
      '1e20',
      ' 12 ',
      '12.5',
      '-5',
      '+5',
      'Infinity',
      'NaN',
      '',
      '0012',
      '1000000000',
      '1000000001',
      '9223372036854775807',
      '١٢',
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }),
  },
);
/** Inside JSON, objects and nulls too. */
const jsonCount = fc.oneof(
  { weight: 8, arbitrary: count },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, { n: 1 }, [5]) },
);
const reportedCost = fc.oneof(
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.constantFrom<unknown>(5e12, 1e308, -1, Number.NaN, '0.5', '0x10', CAP_USD),
);

const spanSpec = fc.constantFrom(...FAMILIES).chain(family =>
  fc.record({
    family: fc.constant(family),
    attributes: fc.dictionary(fc.constantFrom(...family.keys), count, {
      maxKeys: 5,
    }),
    json:
      family.json === undefined
        ? fc.constant(undefined)
        : fc.option(
            fc.dictionary(
              fc.constantFrom(...family.json.paths.map(p => p.join('.'))),
              jsonCount,
              { maxKeys: 4 },
            ),
          ),
    cost:
      family.costKeys.length === 0
        ? fc.constant(undefined)
        : // A reported cost on one span in five.
          fc
            .tuple(fc.integer({ min: 0, max: 4 }), reportedCost)
            .map(([pick, cost]) => (pick === 0 ? cost : undefined)),
  }),
);

function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts.at(-1) as string] = value;
  }
  return root;
}

function at(object: unknown, path: readonly string[]): unknown {
  let node = object;
  for (const part of path) {
    if (
      node === null ||
      typeof node !== 'object' ||
      !Object.hasOwn(node, part)
    ) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Token-count values the span really carried, read back from the export. */
function carriedCounts(family: Family, span: ReadableSpan): unknown[] {
  const values: unknown[] = family.keys.map(key => span.attributes[key]);
  if (family.json !== undefined) {
    const raw = span.attributes[family.json.key];
    if (typeof raw === 'string') {
      const parsed: unknown = JSON.parse(raw);
      for (const path of family.json.paths) values.push(at(parsed, path));
    }
  }
  return values;
}

describe('property: token counts of every family never poison a span or a counter', () => {
  afterAll(() => {
    metrics.disable();
    diag.disable();
  });

  it('holds for 1,000 generated calls', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(spanSpec, async spec => {
        // Fresh each run: a provider's shutdown stops its exporter.
        const exporter = new InMemorySpanExporter();
        const { reader, meterProvider } = setupMeter();
        const provider = new BasicTracerProvider({
          spanProcessors: [
            new CostSpanProcessor({
              env: {},
              metrics: { meterProvider, env: {} },
            }),
            new SimpleSpanProcessor(exporter),
          ],
        });
        const attributes: Attributes = {
          ...spec.family.template,
          ...(spec.attributes as Attributes),
        };
        if (
          spec.family.json !== undefined &&
          spec.json !== undefined &&
          spec.json !== null
        ) {
          attributes[spec.family.json.key] = JSON.stringify(nest(spec.json));
        }
        if (spec.cost !== undefined && spec.cost !== null) {
          attributes[spec.family.costKeys[0] as string] = spec.cost as string;
        }
        provider
          .getTracer(spec.family.scope)
          .startSpan('call', { attributes })
          .end();
        const [span] = exporter.getFinishedSpans();
        if (span === undefined) throw new Error('no span exported');
        const points = pointsByMetric(await reader.collect());
        await provider.shutdown();
        await meterProvider.shutdown();

        const written = span.attributes;
        const source = written['gen_ai.cost.source'];
        const cost = written['gen_ai.usage.cost'];
        const reason = written['gen_ai.cost.unpriced_reason'];
        outcomes.set(
          String(reason ?? source),
          (outcomes.get(String(reason ?? source)) ?? 0) + 1,
        );

        // Absent, or finite, >= 0 and under the cap. An unpriced span keeps
        // what upstream put under gen_ai.usage.cost (attributes cannot be
        // removed), marked by gen_ai.cost.source = unpriced.
        if (source === 'unpriced') {
          expect(cost).toBe(attributes['gen_ai.usage.cost']);
        } else {
          expect(typeof cost).toBe('number');
          expect(Number.isFinite(cost)).toBe(true);
          expect(cost as number).toBeGreaterThanOrEqual(0);
          expect(cost as number).toBeLessThanOrEqual(CAP_USD);
        }
        // The counter's increment is exactly the span's cost.
        const counted = points.get('gen_ai.client.cost');
        if (source !== 'unpriced') expect(total(counted)).toBe(cost);
        else expect(counted).toBeUndefined();
        for (const [name, list] of points) {
          for (const point of list) {
            expect(Number.isFinite(point.value), name).toBe(true);
            expect(point.value, name).toBeGreaterThanOrEqual(0);
          }
        }
        for (const point of points.get('gen_ai.client.cost.tokens') ?? []) {
          // Totals may add cache to input, reasoning to output: still <= ceiling.
          expect(point.value).toBeLessThanOrEqual(CEILING);
        }
        // Parts sum to the total.
        if (source === 'price_table' || source === 'override') {
          const parts = [
            'gen_ai.cost.input',
            'gen_ai.cost.output',
            'gen_ai.cost.cache_read',
            'gen_ai.cost.cache_write',
          ].map(key => written[key] as number);
          for (const part of parts) {
            expect(Number.isFinite(part)).toBe(true);
            expect(part).toBeGreaterThanOrEqual(0);
          }
          const sum = parts.reduce((a, b) => a + b, 0);
          expect(Math.abs(sum - (cost as number))).toBeLessThanOrEqual(
            1e-9 * Math.max(1, cost as number),
          );
        }
        // The oracle: any present value that is not a count -> invalid_usage,
        // and then no token reaches a counter.
        const values = carriedCounts(spec.family, span);
        const issues = written['gen_ai.cost.issues'] as string[] | undefined;
        if (values.some(value => !acceptable(value))) {
          // Unpriced, or priced only from a plausible reported cost.
          expect(issues).toContain('invalid_usage');
          if (source !== 'provider') expect(reason).toBe('invalid_usage');
        } else if (values.every(value => Number(value ?? 0) <= CEILING / 4)) {
          // Every count valid, and small enough that no correction (cache
          // added to input, reasoning to output) passes the ceiling.
          expect(reason).not.toBe('invalid_usage');
        }
        if (issues?.includes('invalid_usage') === true) {
          expect(points.get('gen_ai.client.cost.tokens')).toBeUndefined();
        }
      }),
      { numRuns: 1_000, seed: 9 },
    );
    // The generator must reach every outcome that matters.
    expect(outcomes.get('invalid_usage') ?? 0).toBeGreaterThan(100);
    expect(outcomes.get('price_table') ?? 0).toBeGreaterThan(100);
    expect(outcomes.get('provider') ?? 0).toBeGreaterThan(10);
  });
});
