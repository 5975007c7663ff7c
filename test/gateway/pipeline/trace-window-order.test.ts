/**
 * The trace window's least-recently-seen order, attacked with random
 * sequences of creates, touches, LLM spans and sweeps (time moving
 * forward): after every step it holds exactly the traces a plain
 * reference model holds (an array in least-recently-seen order, the
 * window's documented rules), with the same LLM span total and the same
 * count of early evictions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import {
  TraceWindow,
  type TraceState,
} from '../../../src/gateway/pipeline/trace-window.js';

const WINDOW_MILLIS = 100;

interface ModelTrace {
  readonly id: string;
  lastSeen: number;
  llmSpans: number;
}

/** The rules of `TraceWindow`, written the plain way. */
class Model {
  readonly traces: ModelTrace[] = []; // least recently seen first
  llmSpans = 0;
  evictedEarly = 0;

  constructor(
    private readonly maxTraces: number,
    private readonly maxLlmSpans: number,
    private readonly maxPerTrace: number,
  ) {}

  find(id: string): ModelTrace | undefined {
    return this.traces.find(t => t.id === id);
  }

  forget(trace: ModelTrace): void {
    this.traces.splice(this.traces.indexOf(trace), 1);
    this.llmSpans -= trace.llmSpans;
  }

  touch(id: string, now: number): ModelTrace | undefined {
    const trace = this.find(id);
    if (trace === undefined) return undefined;
    if (now - trace.lastSeen > WINDOW_MILLIS) {
      this.forget(trace);
      return undefined;
    }
    if (trace.lastSeen !== now) {
      trace.lastSeen = now;
      this.traces.splice(this.traces.indexOf(trace), 1);
      this.traces.push(trace);
    }
    return trace;
  }

  create(id: string, now: number): ModelTrace {
    if (this.traces.length >= this.maxTraces) this.evictOldest(undefined);
    const trace = { id, lastSeen: now, llmSpans: 0 };
    this.traces.push(trace);
    return trace;
  }

  addLlmSpan(trace: ModelTrace): boolean {
    if (trace.llmSpans >= this.maxPerTrace) return false;
    trace.llmSpans += 1;
    this.llmSpans += 1;
    while (this.llmSpans > this.maxLlmSpans) {
      if (!this.evictOldest(trace)) break;
    }
    return true;
  }

  sweep(now: number): void {
    while (
      this.traces.length > 0 &&
      (this.traces[0] as ModelTrace).lastSeen < now - WINDOW_MILLIS
    ) {
      this.forget(this.traces[0] as ModelTrace);
    }
  }

  evictOldest(keep: ModelTrace | undefined): boolean {
    const oldest = this.traces.find(t => t !== keep);
    if (oldest === undefined) return false;
    this.forget(oldest);
    this.evictedEarly += 1;
    return true;
  }
}

type Step =
  | { readonly op: 'span'; readonly trace: number; readonly llm: boolean }
  | { readonly op: 'sweep' }
  | { readonly op: 'tick'; readonly millis: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('span' as const),
      trace: fc.integer({ min: 0, max: 7 }),
      llm: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sweep' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('tick' as const),
      millis: fc.integer({ min: 0, max: 80 }),
    }),
  },
);

describe('TraceWindow order', () => {
  // `add` is `create` for a trace `touch` just did not find (the
  // enricher's use, one look-up fewer): both must hold what the model holds.
  it.each(['create', 'add'] as const)(
    'holds what the reference model holds after every step (%s)',
    method => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 0, max: 8 }),
          fc.array(step, { maxLength: 120 }),
          (maxTraces, maxPerTrace, extraLlm, steps) => {
            const maxLlmSpans = maxPerTrace + extraLlm;
            const window = new TraceWindow({
              pipeline: createCostPipeline(),
              windowMillis: WINDOW_MILLIS,
              maxTraces,
              maxLlmSpans,
              maxSpansPerTrace: maxPerTrace,
            });
            const model = new Model(maxTraces, maxLlmSpans, maxPerTrace);
            let now = 0;
            for (const s of steps) {
              if (s.op === 'tick') now += s.millis;
              else if (s.op === 'sweep') {
                window.sweep(now);
                model.sweep(now);
              } else {
                const id = `t${s.trace}`;
                let state: TraceState | undefined = window.touch(id, now);
                let trace = model.touch(id, now);
                expect(state === undefined).toBe(trace === undefined);
                if (state === undefined && s.llm) {
                  state =
                    method === 'add'
                      ? window.add(id, now)
                      : window.create(id, now);
                  trace = model.create(id, now);
                }
                if (state !== undefined && trace !== undefined && s.llm) {
                  expect(window.addLlmSpan(state)).toBe(
                    model.addLlmSpan(trace),
                  );
                }
              }
              expect(window.size).toBe(model.traces.length);
              expect(window.llmSpans).toBe(model.llmSpans);
              expect(window.evictedEarly).toBe(model.evictedEarly);
              for (let t = 0; t < 8; t += 1) {
                const held = window.peek(`t${t}`);
                const expected = model.find(`t${t}`);
                expect(held?.llmSpans).toBe(expected?.llmSpans);
                expect(held?.lastSeenMillis).toBe(expected?.lastSeen);
              }
            }
            // The order itself: sweeping just past each trace's last sight
            // forgets exactly the model's oldest ones.
            while (model.traces.length > 0) {
              const oldest = model.traces[0] as ModelTrace;
              const at = oldest.lastSeen + WINDOW_MILLIS + 1;
              window.sweep(at);
              model.sweep(at);
              expect(window.size).toBe(model.traces.length);
              expect(window.peek(oldest.id)).toBeUndefined();
            }
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
