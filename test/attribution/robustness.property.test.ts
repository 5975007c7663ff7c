/**
 * Processor hooks never throw into span.end(), whatever tags a caller passes
 * and whatever attributes an instrumentation wrote (property test, real SDK).
 */
import { context, diag, DiagLogLevel, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CostSpanProcessor,
  recordLlmCall,
  withAttribution,
} from '../../src/index.js';

const IDENTITY_KEYS = [
  'user.id',
  'session.id',
  'tenant.id',
  'app.plan',
  'app.feature',
  'user.email',
  'langfuse.user.id',
  'langfuse.session.id',
  'enduser.id',
  'gen_ai.conversation.id',
  'metadata',
  'langfuse.trace.metadata',
  'langfuse.observation.metadata',
];
const PREFIXES = [
  'ai.telemetry.metadata.',
  'ai.settings.context.',
  'traceloop.association.properties.',
  'metadata.',
  'app.tag.',
  'langfuse.trace.metadata.',
];
const LLM_KEYS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'ai.operationId',
  'openinference.span.kind',
  'llm.model_name',
  'langfuse.observation.type',
  'gen_ai.usage.cost',
  'gen_ai.cost.source',
];
const WEIRD_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'toString',
  'a@b.co',
  'x'.repeat(10_000),
  '{',
  '{"userId":',
  '{"a":{"b":{"c":{"d":"e@f.gh"}}}}',
  'hmac:zz',
  '\u0000',
  '💸',
];

const stringArb = fc.oneof(
  fc.string(),
  fc.constantFrom(...WEIRD_STRINGS),
  fc.emailAddress(),
);
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  stringArb,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxLength: 3 }),
  fc.json(),
  fc.constant(undefined),
  fc.constant(null),
);
const keyArb = fc.oneof(
  fc.constantFrom(...IDENTITY_KEYS, ...LLM_KEYS),
  fc.tuple(fc.constantFrom(...PREFIXES), stringArb).map(([p, k]) => p + k),
  stringArb,
);
const attributesArb = fc.dictionary(keyArb, valueArb, { maxKeys: 12 });
const tagsArb = fc.dictionary(
  stringArb,
  fc.oneof(
    stringArb,
    fc.constant(undefined),
    fc.integer() as fc.Arbitrary<unknown>,
  ),
  { maxKeys: 8 },
);
/** Processor configurations, built once (a processor per run is slow). */
const CONFIGS = fc
  .sample(
    fc.record(
      {
        hmacSecret: fc.oneof(fc.constant(undefined), fc.string()),
        allowRawEmail: fc.boolean(),
        tagKeys: fc.array(stringArb, { maxLength: 3 }),
        maxTagValueLength: fc.oneof(
          fc.constant(undefined),
          fc.integer({ min: -5, max: 300 }),
        ),
        pseudonymizeKeys: fc.array(stringArb, { maxLength: 2 }),
        propagation: fc.constantFrom('none' as const, 'baggage' as const),
      },
      { requiredKeys: [] },
    ),
    { numRuns: 24, seed: 7 },
  )
  .map(options => {
    const exporter = new InMemorySpanExporter();
    const clean = Object.fromEntries(
      Object.entries(options).filter(([, v]) => v !== undefined),
    );
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new CostSpanProcessor({ env: {}, ...clean }),
        new SimpleSpanProcessor(exporter),
      ],
    });
    return { options, exporter, tracer: provider.getTracer('prop') };
  });

describe('processor robustness with attribution on', () => {
  const errors: unknown[][] = [];
  beforeAll(() => {
    context.setGlobalContextManager(
      new AsyncLocalStorageContextManager().enable(),
    );
    // An internal error caught by a hook is still a bug: count them.
    const ignore = (): void => {};
    diag.setLogger(
      {
        error: (...args: unknown[]) => errors.push(args),
        warn: ignore,
        info: ignore,
        debug: ignore,
        verbose: ignore,
      },
      DiagLogLevel.ERROR,
    );
  });
  afterAll(() => {
    context.disable();
    trace.disable();
    diag.disable();
  });

  it('hooks never throw and every LLM call ends attributed or explicitly unattributed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONFIGS),
        tagsArb,
        tagsArb,
        attributesArb,
        attributesArb,
        attributesArb,
        (config, outerTags, innerTags, parentAttrs, callAttrs, lateAttrs) => {
          const { options, exporter, tracer } = config;
          exporter.reset();
          const run = (): void => {
            withAttribution(outerTags as Record<string, string>, () => {
              tracer.startActiveSpan(
                'parent',
                { attributes: parentAttrs as Attributes },
                parent => {
                  withAttribution(innerTags as Record<string, string>, () => {
                    const call = tracer.startSpan('call', {
                      attributes: callAttrs as Attributes,
                    });
                    call.setAttributes(lateAttrs as Attributes);
                    call.end();
                    recordLlmCall({
                      provider: 'openai',
                      model: 'gpt-4o-mini',
                      usage: { inputTokens: 5, outputTokens: 1 },
                      tags: innerTags as Record<string, string>,
                      tracer,
                    });
                  });
                  parent.end();
                },
              );
            });
          };
          expect(run).not.toThrow();
          const spans = exporter.getFinishedSpans();
          expect(spans).toHaveLength(3);
          const manual = spans[1]!;
          expect(manual.attributes['gen_ai.cost.source']).toBe('price_table');
          expect(['manual', 'context', 'span', 'ancestor', 'none']).toContain(
            manual.attributes['gen_ai.cost.attribution.source'],
          );
          for (const span of spans) {
            const source = span.attributes['gen_ai.cost.attribution.source'];
            if (source === undefined) continue;
            expect(['manual', 'context', 'span', 'ancestor', 'none']).toContain(
              source,
            );
            const user = span.attributes['user.id'];
            if (typeof user === 'string' && options.allowRawEmail !== true) {
              expect(user).not.toMatch(/[^\s@]+@[^\s@]+\.[^\s@]+/);
            }
          }
        },
      ),
      { numRuns: 2000, seed: 4242 },
    );
    expect(errors).toEqual([]);
  });
});
