import { context, diag, trace, type Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../../src/index.js';

// Keys the readers look at, plus noise, so random spans hit every code path.
const KEYS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.cost',
  'ai.operationId',
  'ai.model.id',
  'ai.model.provider',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
  'ai.usage.completionTokens',
  'ai.usage.tokens',
  'ai.usage.inputTokenDetails.noCacheTokens',
  'ai.usage.cachedInputTokens',
  'ai.response.providerMetadata',
  'ai.request.headers.user-agent',
  'ai.telemetry.metadata.userId',
  'openinference.span.kind',
  'llm.model_name',
  'llm.token_count.prompt',
  'llm.token_count.completion',
  'llm.cost.total',
  'langfuse.observation.type',
  'langfuse.observation.usage_details',
  'langfuse.observation.cost_details',
  'user.id',
  'http.request.method',
];

/**
 * Keys the processor writes a cost under: the total (`gen_ai.usage.cost`)
 * and the breakdown and metadata (`gen_ai.cost.*`).
 */
function isCostKey(key: string): boolean {
  return key === 'gen_ai.usage.cost' || key.startsWith('gen_ai.cost.');
}

const value = fc.oneof(
  fc.constantFrom(
    'chat',
    'embeddings',
    'invoke_agent',
    'ai.generateText.doGenerate',
    'ai.generateText',
    'openai',
    'anthropic.messages',
    'gpt-4o-mini',
    'claude-sonnet-4-5',
    'LLM',
    'generation',
    'ai/5.0.1',
    '{"openai":{"cachedPromptTokens":5}}',
    '{"input":3,"output":"x"}',
    '{"total":-1}',
    '{',
    '',
  ),
  fc.integer({ min: -1_000, max: 2_000_000 }),
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    Number.MAX_VALUE,
    1e300,
  ),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), {
    maxLength: 3,
  }),
);

// Valid LLM spans of each family; random keys are then layered on top.
const TEMPLATES: Attributes[] = [
  {},
  { 'http.request.method': 'GET' },
  {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 300,
  },
  {
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.model.provider': 'anthropic.messages',
    'ai.model.id': 'claude-sonnet-4-5',
    'ai.usage.promptTokens': 10,
    'ai.usage.completionTokens': 3,
  },
  {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o',
    'llm.token_count.prompt': 5,
    'llm.token_count.completion': 7,
  },
  {
    'langfuse.observation.type': 'generation',
    'langfuse.observation.model.name': 'gpt-4o',
    'langfuse.observation.usage_details': '{"input":3,"output":4}',
  },
];

const spanSpec = fc.record({
  template: fc.constantFrom(...TEMPLATES),
  mutations: fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 }),
  childOfPrevious: fc.boolean(),
});

describe('CostSpanProcessor property: span.end() never throws, no bad numbers', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(),
      new SimpleSpanProcessor(exporter),
    ],
  });
  const tracer = provider.getTracer('property');
  afterAll(() => provider.shutdown());

  it('holds for 10,000 random spans', () => {
    diag.disable();
    let spans = 0;
    const sources = new Map<unknown, number>();
    fc.assert(
      fc.property(fc.array(spanSpec, { minLength: 1, maxLength: 8 }), specs => {
        exporter.reset();
        const started = [];
        let parentContext = context.active();
        for (const spec of specs) {
          const span = tracer.startSpan(
            'random',
            {
              attributes: {
                ...spec.template,
                ...(spec.mutations as Attributes),
              },
            },
            spec.childOfPrevious ? parentContext : context.active(),
          );
          parentContext = trace.setSpan(context.active(), span);
          started.push({
            span,
            before: {
              ...(span as unknown as { attributes: Attributes }).attributes,
            },
          });
        }
        // Children end before parents, as in real traces.
        for (const { span } of [...started].reverse()) {
          expect(() => span.end()).not.toThrow();
          spans += 1;
        }
        for (const { span, before } of started) {
          const after = (span as unknown as { attributes: Attributes })
            .attributes;
          for (const [key, written] of Object.entries(after)) {
            if (!isCostKey(key)) continue;
            if (Object.is(before[key], written)) continue; // not ours
            if (typeof written === 'number') {
              expect(Number.isFinite(written), key).toBe(true);
              expect(written, key).toBeGreaterThanOrEqual(0);
            }
          }
          if (after['gen_ai.cost.source'] === 'unpriced') {
            expect(after['gen_ai.cost.unpriced_reason']).toBeTypeOf('string');
          }
          const total = after['gen_ai.usage.cost'];
          const source = after['gen_ai.cost.source'];
          sources.set(source, (sources.get(source) ?? 0) + 1);
          if (source === 'price_table' || source === 'override') {
            const parts = [
              'gen_ai.cost.input',
              'gen_ai.cost.output',
              'gen_ai.cost.cache_read',
              'gen_ai.cost.cache_write',
            ].map(k => after[k]);
            for (const part of parts) expect(part).toBeTypeOf('number');
            const sum = (parts as number[]).reduce((a, b) => a + b, 0);
            expect(Math.abs(sum - (total as number))).toBeLessThanOrEqual(
              1e-9 * Math.max(1, total as number),
            );
          }
        }
      }),
      { numRuns: 2_500, seed: 7 },
    );
    expect(spans).toBeGreaterThanOrEqual(10_000);
    // The random spans must really reach the pricing and unpriced paths.
    expect(sources.get('price_table') ?? 0).toBeGreaterThan(50);
    // Fewer than table-priced: a garbage count under any usage key leaves
    // the call unpriced (invalid_usage) even when a cost was reported.
    expect(sources.get('provider') ?? 0).toBeGreaterThan(30);
    expect(sources.get('unpriced') ?? 0).toBeGreaterThan(500);
  });
});
