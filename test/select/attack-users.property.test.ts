/**
 * ATTACK (wrong user), generated: K users make the same call at once, each
 * recorded by a framework layer (OpenInference LangChain, model and usage
 * set at its end) and a client instrumentation, in two traces. The users'
 * usages differ by a few tokens (within the 2 % pairing tolerance: the same
 * prompt template with another name). The framework span's context may be
 * another request's (LangChain.js runs its callbacks in one background
 * queue: under concurrency the span starts in whichever request's context
 * drained it); the client span always runs in its caller's. Whatever the
 * times and end order, each user's total equals the published price of
 * their own calls, and each call counts once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostEngine } from '../../src/core/cost-engine.js';
import type { CostRecord } from '../../src/core/cost-record.js';
import { createPricer } from '../../src/core/price/pricer.js';
import { classifySpan } from '../../src/core/select/classify-span.js';
import type { SpanAttributes, SpanLike } from '../../src/core/span-like.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';

const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
const CLIENT = '@opentelemetry/instrumentation-openai';
const T0 = Date.parse('2026-11-01T12:00:00Z');

interface Call {
  readonly user: number;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly frameworkStart: number;
  readonly clientDelay: number;
  readonly clientDuration: number;
  /** Framework end after the client's (callbacks run after the response). */
  readonly frameworkLag: number;
  /** The user whose context the framework span started in. */
  readonly frameworkContextUser: number;
}

const USERS = 5;

const callArb = (user: number): fc.Arbitrary<Call> =>
  fc.record({
    user: fc.constant(user),
    input: fc.constant(1000 + 3 * user),
    output: fc.constant(300 + user),
    cacheRead: fc.constantFrom(0, 0, 256),
    frameworkStart: fc.integer({ min: 0, max: 40 }),
    clientDelay: fc.integer({ min: 0, max: 30 }),
    clientDuration: fc.integer({ min: 5, max: 80 }),
    frameworkLag: fc.integer({ min: 0, max: 40 }),
    frameworkContextUser: fc.integer({ min: 0, max: USERS - 1 }),
  });

/** 1-3 calls per user, all at once. */
const callsArb = fc
  .array(fc.integer({ min: 1, max: 3 }), {
    minLength: USERS,
    maxLength: USERS,
  })
  .chain(counts =>
    fc.tuple(
      ...counts.flatMap((count, user) =>
        Array.from({ length: count }, () => callArb(user)),
      ),
    ),
  );

interface Event {
  readonly at: number;
  readonly tie: number;
  readonly kind: 'start' | 'end';
  readonly span: SpanLike;
  readonly startAttributes: SpanAttributes;
  readonly user: string;
}

let ids = 0;
const hex = (n: number, width: number): string =>
  n.toString(16).padStart(width, '0');

function eventsOf(call: Call, index: number): Event[] {
  const events: Event[] = [];
  const clientStart = call.frameworkStart + call.clientDelay;
  const clientEnd = clientStart + call.clientDuration;
  const add = (
    scopeName: string,
    start: number,
    end: number,
    startAttributes: SpanAttributes,
    attributes: SpanAttributes,
    user: number,
  ): void => {
    ids += 1;
    const span: SpanLike = {
      name: scopeName === FRAMEWORK ? 'ChatOpenAI' : 'chat gpt-4o-mini',
      scopeName,
      traceId: hex(ids, 32),
      spanId: hex(ids, 16),
      parentSpanId: undefined,
      startTimeMillis: T0 + start,
      endTimeMillis: T0 + end,
      attributes,
    };
    // Equal times: the client span ends first (the framework's callback
    // runs after the response).
    const tie = index * 2 + (scopeName === FRAMEWORK ? 1 : 0);
    const who = `user-${user}`;
    events.push({
      at: start,
      tie,
      kind: 'start',
      span,
      startAttributes,
      user: who,
    });
    events.push({
      at: end,
      tie,
      kind: 'end',
      span,
      startAttributes,
      user: who,
    });
  };
  add(
    FRAMEWORK,
    call.frameworkStart,
    clientEnd + call.frameworkLag,
    { 'openinference.span.kind': 'LLM' },
    {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': call.input,
      'llm.token_count.prompt_details.cache_read': call.cacheRead,
      'llm.token_count.completion': call.output,
    },
    call.frameworkContextUser,
  );
  const start = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
  };
  add(
    CLIENT,
    clientStart,
    clientEnd,
    start,
    {
      ...start,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': call.input,
      'gen_ai.usage.output_tokens': call.output,
    },
    call.user,
  );
  return events;
}

function truth(call: Call): number {
  return expectedCost(GPT_4O_MINI, {
    uncachedInput: call.input - call.cacheRead,
    cacheRead: call.cacheRead,
    output: call.output,
  }).total;
}

const byTime = (a: Event, b: Event): number =>
  a.at - b.at ||
  (a.kind === b.kind ? a.tie - b.tie : a.kind === 'end' ? -1 : 1);

describe('stacked pairs of concurrent users (generated)', () => {
  it.each(['auto', 'framework', 'client'] as const)(
    'bills each user their own calls, each once (emitters %s)',
    emitters => {
      fc.assert(
        fc.property(callsArb, calls => {
          const counted: CostRecord[] = [];
          const engine = new CostEngine({
            pricer: createPricer(),
            emitters,
            stacked: { onRelease: record => counted.push(record) },
          });
          const events = calls
            .flatMap((call, index) => eventsOf(call, index))
            .sort(byTime);
          for (const event of events) {
            if (event.kind === 'start') {
              const view = { ...event.span, attributes: event.startAttributes };
              engine.start(view, classifySpan(view.attributes));
              continue;
            }
            const evaluation = engine.evaluate(event.span, {
              explicit: { userId: event.user },
            });
            if (evaluation?.kind === 'call') counted.push(evaluation);
          }
          engine.releaseHeld();
          expect(counted).toHaveLength(calls.length);
          const want = new Map<string, number>();
          for (const call of calls) {
            const user = `user-${call.user}`;
            const cost =
              emitters === 'client'
                ? expectedCost(GPT_4O_MINI, {
                    uncachedInput: call.input,
                    output: call.output,
                  }).total
                : truth(call);
            want.set(user, (want.get(user) ?? 0) + cost);
          }
          const got = new Map<string, number>();
          for (const record of counted) {
            const user = record.identity.userId ?? 'none';
            const cost = record.cost.priced ? record.cost.totalUsd : NaN;
            got.set(user, (got.get(user) ?? 0) + cost);
          }
          for (const [user, cost] of want) {
            expect(got.get(user), user).toBeCloseTo(cost, 12);
          }
          expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        }),
        { numRuns: 300 },
      );
    },
  );
});
