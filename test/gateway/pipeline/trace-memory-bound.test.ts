/**
 * Issue 9, case 6a: the trace memory is bounded in traces AND in LLM spans,
 * whatever the spans per trace. Under a generated flood (many traces, up to
 * 3 times the per-trace bound of LLM spans in one trace, nested calls,
 * response ids, redeliveries, time passing), what is remembered never
 * exceeds the caps, the accounting matches what the maps hold, and every
 * eviction before the window ended is counted. Counts only, no timing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import { RequestEnricher } from '../../../src/gateway/pipeline/request-enricher.js';
import { chatAttributes, type JsonSpanSpec } from '../helpers/otlp-json.js';
import { scannedJson } from './scanned-json.js';

const MAX_TRACES = 6;
const MAX_LLM_SPANS = 40;
const PER_TRACE = 12;
/** `DuplicateCalls`' own bound on response ids per engine (core default). */
const RESPONSE_IDS_PER_ENGINE = 10_000;
const WINDOW_MILLIS = 1000;
const TRACE_POOL = 20;

const traceId = (trace: number): string =>
  (trace + 1).toString(16).padStart(32, 'c');

/** A trace's share of a request: LLM calls under one parent, maybe the parent too. */
const partArb = fc.record({
  trace: fc.integer({ min: 0, max: TRACE_POOL - 1 }),
  calls: fc.integer({ min: 1, max: 3 * PER_TRACE }),
  firstCall: fc.integer({ min: 0, max: 50 }),
  withParent: fc.boolean(),
  responseIds: fc.boolean(),
});
const requestArb = fc.record({
  parts: fc.array(partArb, { minLength: 1, maxLength: 4 }),
  advanceMillis: fc.constantFrom(0, 10, 400, 1500),
});

interface Part {
  readonly trace: number;
  readonly calls: number;
  readonly firstCall: number;
  readonly withParent: boolean;
  readonly responseIds: boolean;
}

function spansOf(part: Part): JsonSpanSpec[] {
  const parentId = 'f0'.repeat(8);
  const spans: JsonSpanSpec[] = [];
  for (let i = 0; i < part.calls; i++) {
    const call = part.firstCall + i;
    spans.push({
      traceId: traceId(part.trace),
      spanId: (call + 1).toString(16).padStart(16, '0'),
      parentSpanId: parentId,
      name: 'chat gpt-4o-mini',
      startMillis: call,
      endMillis: call + 10,
      attributes: {
        ...chatAttributes(1000 + call, 200),
        ...(part.responseIds
          ? { 'gen_ai.response.id': `chatcmpl-${part.trace}-${call}` }
          : {}),
      },
    });
  }
  if (part.withParent) {
    spans.push({
      traceId: traceId(part.trace),
      spanId: parentId,
      name: 'invoke_agent',
      startMillis: 0,
      endMillis: 10_000,
      attributes: { 'gen_ai.operation.name': 'invoke_agent' },
    });
  }
  return spans;
}

describe('trace memory bound (generated flood)', () => {
  it('never holds more than the caps, and accounts for every entry it holds', () => {
    fc.assert(
      fc.property(
        fc.array(requestArb, { minLength: 1, maxLength: 12 }),
        requests => {
          const enricher = new RequestEnricher({
            pipeline: createCostPipeline(),
            traceWindowMillis: WINDOW_MILLIS,
            maxTraces: MAX_TRACES,
            maxLlmSpans: MAX_LLM_SPANS,
            maxSpansPerTrace: PER_TRACE,
          });
          const window = enricher.traceWindow;
          let now = 0;
          let evicted = 0;
          for (const request of requests) {
            now += request.advanceMillis;
            const result = enricher.enrich(
              scannedJson(request.parts.flatMap(spansOf)),
              now,
            );
            enricher.commit(result.calls);
            const { tracked, llmSpans, evictedEarly } = enricher.traces;
            expect(tracked).toBeLessThanOrEqual(MAX_TRACES);
            expect(llmSpans).toBeLessThanOrEqual(MAX_LLM_SPANS);
            expect(evictedEarly).toBeGreaterThanOrEqual(evicted);
            evicted = evictedEarly;
            let states = 0;
            let accounted = 0;
            for (let trace = 0; trace < TRACE_POOL; trace++) {
              const state = window.peek(traceId(trace));
              if (state === undefined) continue;
              states += 1;
              accounted += state.llmSpans;
              expect(state.llmSpans).toBeLessThanOrEqual(PER_TRACE);
              expect(state.spans.size).toBeLessThanOrEqual(state.llmSpans);
              // Each LLM span evaluated adds at most a coverage mark and a
              // response id; past the per-trace bound the engine's own
              // bounds hold.
              expect(state.engine.trackedEntries).toBeLessThanOrEqual(
                state.llmSpans < PER_TRACE
                  ? 2 * state.llmSpans
                  : PER_TRACE + RESPONSE_IDS_PER_ENGINE,
              );
            }
            expect(states).toBe(tracked);
            expect(accounted).toBe(llmSpans);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('evicts the least recently seen traces, counted, when LLM spans reach the cap', () => {
    const enricher = new RequestEnricher({
      pipeline: createCostPipeline(),
      traceWindowMillis: WINDOW_MILLIS,
      maxTraces: 100,
      maxLlmSpans: 20,
      maxSpansPerTrace: 10,
    });
    const part = (trace: number): Part => ({
      trace,
      calls: 8,
      firstCall: 0,
      withParent: false,
      responseIds: true,
    });
    enricher.enrich(scannedJson(spansOf(part(0))), 0);
    enricher.enrich(scannedJson(spansOf(part(1))), 1);
    expect(enricher.traces).toEqual({
      tracked: 2,
      llmSpans: 16,
      evictedEarly: 0,
    });
    enricher.enrich(scannedJson(spansOf(part(2))), 2);
    // 24 > 20: the least recently seen trace (0) goes, whole.
    expect(enricher.traces).toEqual({
      tracked: 2,
      llmSpans: 16,
      evictedEarly: 1,
    });
    expect(enricher.traceWindow.peek(traceId(0))).toBeUndefined();
    expect(enricher.traceWindow.peek(traceId(1))).toBeDefined();
  });

  it('keeps nothing of a response id or scope name longer than any real one (what an LLM span costs stays bounded)', () => {
    const enricher = new RequestEnricher({
      pipeline: createCostPipeline(),
      traceWindowMillis: WINDOW_MILLIS,
      maxTraces: 100,
    });
    const span = (spanId: string, responseId: string, scope: string) => ({
      traceId: traceId(0),
      spanId,
      name: 'chat gpt-4o-mini',
      scope,
      startMillis: 0,
      endMillis: 10,
      attributes: {
        ...chatAttributes(1000, 200),
        'gen_ai.response.id': responseId,
      },
    });
    enricher.enrich(
      scannedJson([
        span('01'.repeat(8), 'r'.repeat(20_000), 'openai'),
        span('02'.repeat(8), 'chatcmpl-1', 's'.repeat(20_000)),
      ]),
      0,
    );
    const state = enricher.traceWindow.peek(traceId(0));
    expect(state?.spans.size).toBe(2);
    expect(state?.engine.trackedEntries).toBe(0);
    enricher.enrich(scannedJson([span('03'.repeat(8), 'chatcmpl-2', 'a')]), 0);
    expect(state?.engine.trackedEntries).toBe(1); // a real id is remembered
  });

  it('refuses a total cap below the per-trace bound', () => {
    expect(
      () =>
        new RequestEnricher({
          pipeline: createCostPipeline(),
          traceWindowMillis: WINDOW_MILLIS,
          maxTraces: 100,
          maxLlmSpans: 9,
          maxSpansPerTrace: 10,
        }),
    ).toThrow(/maxLlmSpans \(9\) must be at least/);
  });
});
