/**
 * The processor's fast exit for spans that are not LLM calls:
 * - `classifyPlainAttributes` (one pass over the keys) gives exactly
 *   `classifySpan`'s answer on generated attribute objects;
 * - a span without a store entry skips its span-id look-ups, yet a mark left
 *   by a call below a plain span still passes up (a Langfuse generation
 *   around an instrumented call is not counted twice through a plain span
 *   in between);
 * - a root LLM span with no attribution and no parent is still released in
 *   `onEnd` (SDKs without `onEnding`): nothing stays tracked.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CostEngine } from '../../src/core/cost-engine.js';
import {
  classifyPlainAttributes,
  classifySpan,
} from '../../src/core/select/classify-span.js';
import type { CostSpanProcessor } from '../../src/index.js';
import type { CostPipeline } from '../../src/pipeline/cost-pipeline.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

const MARKER_KEYS = [
  'ai.operationId',
  'langfuse.observation.type',
  'openinference.span.kind',
  'gen_ai.operation.name',
  'gen_ai.system',
  'gen_ai.provider.name',
  'llm.model_name',
];
/** Keys one character or one segment away from a marker, and plain keys. */
const OTHER_KEYS = [
  'ai.operationid',
  'ai.operationId.x',
  'gen_ai.request.model',
  'gen_ai.operation',
  'gen_ai.systems',
  'llm.model',
  'llm.token_count.prompt',
  'langfuse.observation.typ',
  'langfuse.trace.tags',
  'openinference.span',
  'Gen_ai.system',
  'http.request.method',
  'db.system.name',
  'url.full',
  'a',
  'g',
  'l',
  'o',
  '',
];
const VALUES = fc.oneof(
  fc.constantFrom(
    'chat',
    'invoke_agent',
    'ai.generateText.doGenerate',
    'ai.generateText',
    'LLM',
    'chain',
    'generation',
    'span',
    'openai',
  ),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(undefined),
);

describe('classifyPlainAttributes', () => {
  it('equals classifySpan on generated attribute objects, key order included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...MARKER_KEYS, ...OTHER_KEYS),
              fc.string({ maxLength: 12 }),
            ),
            VALUES,
          ),
          { maxLength: 12 },
        ),
        entries => {
          const attributes: Record<string, unknown> = {};
          for (const [key, value] of entries) attributes[key] = value;
          const plain = attributes as Parameters<typeof classifySpan>[0];
          // The same shared class object, not only an equal one.
          expect(classifyPlainAttributes(plain)).toBe(classifySpan(plain));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('each marker key alone is seen (a wrong key list would miss one)', () => {
    for (const key of MARKER_KEYS) {
      const attributes = { 'http.route': '/x', [key]: 'chat' };
      expect(classifyPlainAttributes(attributes).role).not.toBe('other');
      expect(classifyPlainAttributes(attributes)).toBe(
        classifySpan(attributes),
      );
    }
  });
});

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function engineOf(processor: CostSpanProcessor): CostEngine {
  return (processor as unknown as { _pipeline: CostPipeline })._pipeline.engine;
}

describe('CostSpanProcessor fast exit', () => {
  it('a call under a plain span under a Langfuse generation is counted once', async () => {
    tracing = setupTracing();
    const tracer = tracing.tracer('app');
    const generation = tracer.startSpan('generation', {
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o',
      },
    });
    const plain = tracer.startSpan(
      'POST /v1/chat/completions',
      { attributes: { 'http.request.method': 'POST' } },
      trace.setSpan(ROOT_CONTEXT, generation),
    );
    const call = tracer.startSpan(
      'chat gpt-4o',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
        },
      },
      trace.setSpan(ROOT_CONTEXT, plain),
    );
    call.setAttributes({
      'gen_ai.usage.input_tokens': 1_000_000,
      'gen_ai.usage.output_tokens': 1_000_000,
    });
    call.end();
    plain.end();
    generation.setAttributes({
      'langfuse.observation.usage_details': JSON.stringify({
        input: 1_000_000,
        output: 1_000_000,
      }),
    });
    generation.end();
    await tracing.spans();
    expect(tracing.sink.records).toHaveLength(1);
    // OpenAI gpt-4o: $2.50 per 1M input tokens, $10.00 per 1M output.
    const record = tracing.sink.records[0];
    expect(record?.cost.priced && record.cost.totalUsd).toBeCloseTo(12.5, 9);
    expect(engineOf(tracing.processor).trackedEntries).toBe(0);
  });

  it('onStart then onEnd only (no onEnding): a root call without attribution is released', async () => {
    tracing = setupTracing();
    const processor = tracing.processor;
    const span = tracing.tracer('app').startSpan(
      'chat gpt-4o',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
        },
      },
      ROOT_CONTEXT,
    );
    // The provider already called onStart; call onEnd without onEnding, as
    // an SDK < 2.3 does (the span object is the one onStart saw).
    expect(engineOf(processor).remembersStart(span.spanContext().spanId)).toBe(
      true,
    );
    processor.onEnd(span as unknown as Parameters<typeof processor.onEnd>[0]);
    expect(engineOf(processor).trackedEntries).toBe(0);
    span.end();
  });
});
