/**
 * 2,000 interleaved requests from 500 users, each with random awaits,
 * timers (setTimeout, setImmediate), promise chains and nested
 * withAttribution scopes, each making LLM calls through a tracer and through
 * recordLlmCall. Every priced span must carry exactly its own request's
 * user: zero misattributed spans.
 */
import { context, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLlmCall, withAttribution } from '../../src/index.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

const REQUESTS = 2000;
const USERS = 500;
/** Calls per request: 2 tracer chat spans, 1 recordLlmCall, 1 in a timer callback. */
const CALLS_PER_REQUEST = 4;

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20261123);

function pause(): Promise<void> {
  const r = random();
  if (r < 0.3) return new Promise(resolve => setImmediate(resolve));
  if (r < 0.6)
    return new Promise(resolve =>
      setTimeout(resolve, Math.floor(random() * 3)),
    );
  if (r < 0.8) return Promise.resolve().then(() => undefined);
  return new Promise(resolve => process.nextTick(resolve));
}

function llmSpan(tracer: Tracer, requestId: string, call: string): void {
  const span = tracer.startSpan('chat gpt-4o-mini', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'test.request_id': requestId,
      'test.call': call,
    },
  });
  span.setAttributes({
    'gen_ai.usage.input_tokens': 100,
    'gen_ai.usage.output_tokens': 10,
  });
  span.end();
}

interface Expected {
  readonly userId: string;
  readonly tenantId: string;
  readonly feature: string | undefined;
}

describe('attribution under concurrency', () => {
  let tracing: TestTracing;
  const expected = new Map<string, Expected>();
  let spans: ReadableSpan[] = [];

  beforeAll(async () => {
    tracing = setupTracing({ registerGlobally: true });
    const tracer = tracing.tracer('app');

    async function request(i: number): Promise<void> {
      const userId = `user-${i % USERS}`;
      const tenantId = `tenant-${i % 37}`;
      const requestId = `req-${i}`;
      const feature = `feature-${i}`;
      expected.set(requestId, { userId, tenantId, feature });
      await withAttribution({ userId, tenantId }, async () => {
        await pause();
        await tracer.startActiveSpan('handler', async handler => {
          // Call 1: outer scope, no feature yet.
          await pause();
          llmSpan(tracer, requestId, 'outer');
          await withAttribution({ feature }, async () => {
            await pause();
            // Call 2: manual record inside the nested scope.
            recordLlmCall({
              provider: 'openai',
              model: 'gpt-4o-mini',
              usage: { inputTokens: 100, outputTokens: 10 },
              responseId: `${requestId}-manual`,
              tags: { sessionId: `session-${i}` },
            });
            // Call 3: through a promise chain.
            await Promise.resolve()
              .then(pause)
              .then(() => llmSpan(tracer, requestId, 'chain'));
            // Call 4: from a timer callback.
            await new Promise<void>(resolve =>
              setTimeout(
                () => {
                  llmSpan(tracer, requestId, 'timer');
                  resolve();
                },
                Math.floor(random() * 3),
              ),
            );
          });
          handler.end();
        });
      });
    }

    const all: Promise<void>[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      all.push(request(i));
      if (random() < 0.1) await pause();
    }
    await Promise.all(all);
    spans = await tracing.spans();
  });

  afterAll(async () => {
    await tracing.shutdown();
  });

  it('prices every call and attributes each to exactly its own request', () => {
    const priced = spans.filter(
      span => span.attributes['gen_ai.usage.cost'] !== undefined,
    );
    expect(priced).toHaveLength(REQUESTS * CALLS_PER_REQUEST);
    const misattributed: string[] = [];
    const perRequest = new Map<string, number>();
    for (const span of priced) {
      const requestId =
        (span.attributes['test.request_id'] as string | undefined) ??
        (span.attributes['gen_ai.response.id'] as string).replace(
          /-manual$/,
          '',
        );
      const want = expected.get(requestId);
      const call =
        (span.attributes['test.call'] as string | undefined) ?? 'manual';
      perRequest.set(requestId, (perRequest.get(requestId) ?? 0) + 1);
      const wantFeature = call === 'outer' ? undefined : want?.feature;
      if (
        want === undefined ||
        span.attributes['user.id'] !== want.userId ||
        span.attributes['tenant.id'] !== want.tenantId ||
        span.attributes['app.feature'] !== wantFeature ||
        span.attributes['session.id'] !==
          (call === 'manual' ? `session-${requestId.slice(4)}` : undefined) ||
        span.attributes['gen_ai.cost.attribution.source'] !==
          (call === 'manual' ? 'manual' : 'context')
      ) {
        misattributed.push(
          `${requestId}/${call}: ${JSON.stringify(span.attributes)}`,
        );
      }
    }
    expect(misattributed.slice(0, 5)).toEqual([]);
    expect(misattributed).toHaveLength(0);
    expect(perRequest.size).toBe(REQUESTS);
    expect(
      [...perRequest.values()].every(count => count === CALLS_PER_REQUEST),
    ).toBe(true);
  });

  it('fed the sinks one record per call with the same identity', () => {
    expect(tracing.sink.records).toHaveLength(REQUESTS * CALLS_PER_REQUEST);
    const users = new Set(
      tracing.sink.records.map(record => record.identity.userId),
    );
    expect(users.size).toBe(USERS);
    const manual = tracing.sink.records.filter(
      record => record.identity.source === 'manual',
    );
    expect(manual).toHaveLength(REQUESTS);
    expect(
      manual.every(record => record.identity.sessionId?.startsWith('session-')),
    ).toBe(true);
  });

  it('left no attribution behind in the root context', () => {
    expect(
      context.active().getValue(Symbol.for('otel-genai-cost.attribution')),
    ).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
