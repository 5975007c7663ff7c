/**
 * The in-process stacked matcher, attacked with generated workloads: N
 * concurrent provider calls, each recorded by a framework layer
 * (OpenInference LangChain, its model and usage set only at its end), by a
 * client instrumentation (the OpenAI contrib one), or by both, in separate
 * traces, with random start times, durations and end orders (the framework
 * usually ends last, sometimes first), random models. Whatever the
 * interleaving, every real call is counted exactly once and the total is the
 * sum of the calls' published prices, computed here from the provider
 * pricing pages (test/helpers/prices.ts), never from the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostEngine, type Evaluation } from '../../src/core/cost-engine.js';
import type { CostRecord } from '../../src/core/cost-record.js';
import { createPricer } from '../../src/core/price/pricer.js';
import { classifySpan } from '../../src/core/select/classify-span.js';
import type { SpanAttributes, SpanLike } from '../../src/core/span-like.js';
import {
  CLAUDE_SONNET_4_5,
  expectedCost,
  GPT_4O_MINI,
  type TokenRates,
} from '../helpers/prices.js';

const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
const CLIENT = '@opentelemetry/instrumentation-openai';
const T0 = Date.parse('2026-11-01T12:00:00Z');

/** Models as each layer names them (a dated snapshot on one side). */
const MODELS: readonly {
  readonly provider: string;
  readonly framework: string;
  readonly client: string;
  readonly rates: TokenRates;
}[] = [
  {
    provider: 'openai',
    framework: 'gpt-4o-mini',
    client: 'gpt-4o-mini-2024-07-18',
    rates: GPT_4O_MINI,
  },
  {
    provider: 'anthropic',
    framework: 'claude-sonnet-4-5',
    client: 'claude-sonnet-4-5-20250929',
    rates: CLAUDE_SONNET_4_5,
  },
];

interface Call {
  readonly model: number;
  readonly input: number;
  readonly cacheRead: number;
  readonly output: number;
  /** Which layers record it. */
  readonly layers: 'both' | 'framework' | 'client';
  readonly frameworkStart: number;
  readonly clientDelay: number;
  readonly clientDuration: number;
  /** Framework end after the client's end (negative: it ends first). */
  readonly frameworkLag: number;
}

const callArb = (input: number): fc.Arbitrary<Call> =>
  fc.record({
    model: fc.integer({ min: 0, max: MODELS.length - 1 }),
    input: fc.constant(input),
    cacheRead: fc.integer({ min: 0, max: Math.floor(input / 10) }),
    output: fc.integer({ min: 1, max: 2000 }),
    layers: fc.constantFrom<Call['layers']>(
      'both',
      'both',
      'both',
      'framework',
      'client',
    ),
    frameworkStart: fc.integer({ min: 0, max: 400 }),
    clientDelay: fc.integer({ min: 0, max: 15 }),
    clientDuration: fc.integer({ min: 5, max: 600 }),
    frameworkLag: fc.integer({ min: -3, max: 25 }),
  });

/**
 * Distinct prompt sizes, at least 12 % apart (two different calls are not
 * within the 2 % rounding the matcher allows): what tells calls apart
 * besides their time.
 */
const callsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 14 })
  .chain(steps =>
    fc.tuple(...steps.map(step => callArb(Math.round(300 * 1.12 ** step)))),
  );

interface Event {
  readonly at: number;
  readonly tie: number;
  readonly kind: 'start' | 'end';
  readonly span: SpanLike;
  readonly startAttributes: SpanAttributes;
}

let ids = 0;
const hex = (n: number, width: number): string =>
  n.toString(16).padStart(width, '0');

function spansOf(call: Call, index: number): Event[] {
  const model = MODELS[call.model] as (typeof MODELS)[number];
  const events: Event[] = [];
  const clientStart = call.frameworkStart + call.clientDelay;
  const clientEnd = clientStart + call.clientDuration;
  const frameworkEnd = Math.max(
    call.frameworkStart + 1,
    clientEnd + call.frameworkLag,
  );
  const add = (
    scopeName: string,
    start: number,
    end: number,
    startAttributes: SpanAttributes,
    attributes: SpanAttributes,
  ): void => {
    ids += 1;
    const span: SpanLike = {
      name: scopeName === FRAMEWORK ? 'ChatOpenAI' : 'chat',
      scopeName,
      traceId: hex(ids, 32),
      spanId: hex(ids, 16),
      parentSpanId: undefined,
      startTimeMillis: T0 + start,
      endTimeMillis: T0 + end,
      attributes,
    };
    const tie = index * 2 + (scopeName === FRAMEWORK ? 0 : 1);
    events.push({ at: start, tie, kind: 'start', span, startAttributes });
    events.push({ at: end, tie, kind: 'end', span, startAttributes });
  };
  if (call.layers !== 'client') {
    add(
      FRAMEWORK,
      call.frameworkStart,
      frameworkEnd,
      { 'openinference.span.kind': 'LLM' },
      {
        'openinference.span.kind': 'LLM',
        'llm.provider': model.provider,
        'llm.model_name': model.framework,
        'llm.token_count.prompt': call.input,
        'llm.token_count.prompt_details.cache_read': call.cacheRead,
        'llm.token_count.completion': call.output,
      },
    );
  }
  if (call.layers !== 'framework') {
    const start = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': model.provider,
      'gen_ai.request.model': model.framework,
    };
    add(CLIENT, clientStart, clientEnd, start, {
      ...start,
      'gen_ai.response.model': model.client,
      'gen_ai.usage.input_tokens': call.input,
      'gen_ai.usage.output_tokens': call.output,
    });
  }
  return events;
}

/** The published price of a call, with the cache detail when a layer reported it. */
function truth(call: Call): number {
  const model = MODELS[call.model] as (typeof MODELS)[number];
  const cache = call.layers === 'client' ? 0 : call.cacheRead;
  return expectedCost(model.rates, {
    uncachedInput: call.input - cache,
    cacheRead: cache,
    output: call.output,
  }).total;
}

interface Run {
  readonly counted: CostRecord[];
  readonly evaluations: Evaluation[];
  readonly engine: CostEngine;
}

function run(events: Event[], maxOpenSpans?: number): Run {
  const counted: CostRecord[] = [];
  const evaluations: Evaluation[] = [];
  const engine = new CostEngine({
    pricer: createPricer(),
    stacked: { onRelease: record => counted.push(record), maxOpenSpans },
  });
  for (const event of events) {
    if (event.kind === 'start') {
      const view = { ...event.span, attributes: event.startAttributes };
      engine.start(view, classifySpan(view.attributes));
      continue;
    }
    const evaluation = engine.evaluate(event.span);
    if (evaluation === undefined) continue;
    evaluations.push(evaluation);
    if (evaluation.kind === 'call') counted.push(evaluation);
  }
  return { counted, evaluations, engine };
}

const byTime = (a: Event, b: Event): number =>
  a.at - b.at ||
  (a.kind === b.kind ? a.tie - b.tie : a.kind === 'end' ? -1 : 1);

const total = (records: readonly CostRecord[]): number =>
  records.reduce(
    (sum, { cost }) => sum + (cost.priced ? cost.totalUsd : Number.NaN),
    0,
  );

describe('StackedCalls through CostEngine (generated)', () => {
  it('counts every real call exactly once at its published price, whatever the interleaving and end order', () => {
    fc.assert(
      fc.property(callsArb, calls => {
        const events = calls.flatMap(spansOf).sort(byTime);
        const { counted, evaluations, engine } = run(events);
        expect(counted).toHaveLength(calls.length);
        expect(total(counted)).toBeCloseTo(
          calls.reduce((sum, call) => sum + truth(call), 0),
          9,
        );
        // Each recorded pair: one span of the two skipped. A span skipped
        // for an open partner that turned out to be another call is
        // counted when released: only a call recorded by one layer can be.
        const onSpans = evaluations.filter(e => e.kind === 'call').length;
        const released = counted.length - onSpans;
        const pairs = calls.filter(call => call.layers === 'both').length;
        expect(released).toBeLessThanOrEqual(calls.length - pairs);
        const skips = evaluations.filter(
          e =>
            e.kind === 'skipped' &&
            e.reason === 'duplicate_of_stacked_instrumentation',
        );
        expect(skips).toHaveLength(pairs + released);
        // Nothing is left once every span ended.
        expect(engine.trackedEntries).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('N concurrent identical calls (same model, same usage) still count N times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: -3, max: 25 }), {
          minLength: 20,
          maxLength: 20,
        }),
        fc.array(fc.integer({ min: 0, max: 10 }), {
          minLength: 20,
          maxLength: 20,
        }),
        (n, lags, starts) => {
          const calls: Call[] = Array.from({ length: n }, (_, i) => ({
            model: 0,
            input: 1000,
            cacheRead: 600,
            output: 300,
            layers: 'both',
            frameworkStart: starts[i] as number,
            clientDelay: 2,
            clientDuration: 50,
            frameworkLag: lags[i] as number,
          }));
          const { counted } = run(calls.flatMap(spansOf).sort(byTime));
          expect(counted).toHaveLength(n);
          expect(total(counted)).toBeCloseTo(n * truth(calls[0] as Call), 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('frameworks that never end: memory stays under the bound and their held calls are counted, not lost', () => {
    const maxOpenSpans = 100;
    const calls: Call[] = Array.from({ length: 2_000 }, (_, i) => ({
      model: i % 2,
      input: 1000 + i,
      cacheRead: 0,
      output: 100,
      layers: 'both',
      frameworkStart: i * 50,
      clientDelay: 1,
      clientDuration: 20,
      frameworkLag: 5,
    }));
    // Drop every framework end: the spans leak, as a stuck stream would.
    const events = calls
      .flatMap(spansOf)
      .filter(e => !(e.kind === 'end' && e.span.scopeName === FRAMEWORK))
      .sort(byTime);
    const { counted, engine } = run(events, maxOpenSpans);
    // Bounded: at most maxOpenSpans open spans (twice: for cross-layer
    // matching and as possible parents), plus the client calls held for
    // them (each open framework may take those that started within the
    // 1 s start slack: 20 at one call per 50 ms).
    expect(engine.trackedEntries).toBeLessThanOrEqual(2 * maxOpenSpans + 200);
    // Every client call held for a framework that was dropped is counted;
    // the last ones, still waiting, are counted at shutdown.
    expect(counted.length).toBeGreaterThanOrEqual(calls.length - 200);
    engine.releaseHeld();
    expect(counted).toHaveLength(calls.length);
    expect(total(counted)).toBeCloseTo(
      calls.reduce((sum, call) => sum + truth(call), 0),
      9,
    );
  });
});
