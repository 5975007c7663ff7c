/**
 * Issue 15 (review of the trace window's engine reuse): a forgotten trace's
 * engine is cleared and given to a new trace. Whatever the forgotten trace
 * left in it (coverage marks of nested calls, response ids of two instrumentations, parents that ended before
 * their child, response ids, decisions of redeliveries), a new trace must
 * get exactly what a gateway that never saw the old trace gives: the same
 * span updates, rejections, calls and counted records. Generated: rounds of
 * deliveries, each round its own trace, the window holding one trace (so
 * each round's engine is a forgotten trace's, evicted or swept by age), a
 * round's trace id sometimes the id of a trace forgotten before.
 * Cross-layer matching is off (`emitters: 'all'`) so no state outside the
 * per-trace engines links the rounds. Every counted cost is also checked
 * against OpenAI's published gpt-4o-mini prices for its own tokens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCostPipeline,
  type CostPipeline,
} from '../../../src/pipeline/cost-pipeline.js';
import { DEFAULT_PIPELINE_CONFIG } from '../../../src/pipeline/pipeline-config.js';
import { RequestEnricher } from '../../../src/gateway/pipeline/request-enricher.js';
import { expectedCost, GPT_4O_MINI } from '../../helpers/prices.js';
import { chatAttributes, type JsonSpanSpec } from '../helpers/otlp-json.js';
import { scannedJson, scannedSpans } from './scanned-json.js';

const WINDOW_MILLIS = 1000;

const spanArb = fc.record({
  span: fc.integer({ min: 0, max: 5 }),
  parent: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  /** 0-2: chat calls (different usage), 3: a span that is not a call. */
  variant: fc.integer({ min: 0, max: 3 }),
  responseId: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
  end: fc.integer({ min: 0, max: 4 }),
  /** Two instrumentations reporting one response id: a duplicate. */
  scope: fc.constantFrom('test', 'opentelemetry.instrumentation.openai'),
});
type SpanPick = typeof spanArb extends fc.Arbitrary<infer T> ? T : never;

const deliveryArb = fc.record({
  again: fc.boolean(),
  spans: fc.array(spanArb, { minLength: 1, maxLength: 6 }),
  forwarded: fc.boolean(),
});
/** A round: one trace's deliveries; the next round evicts or sweeps it. */
const roundArb = fc.record({
  /** Two trace ids: a forgotten trace also comes back. */
  trace: fc.integer({ min: 0, max: 1 }),
  deliveries: fc.array(deliveryArb, { minLength: 1, maxLength: 4 }),
  swept: fc.boolean(),
});
/** The trace that evicts the previous round's when not swept. */
const OTHER_TRACE = 9;

function spec(trace: number, pick: SpanPick): JsonSpanSpec {
  const id = (n: number): string => (n + 1).toString(16).padStart(16, 'b');
  const base = {
    traceId: (trace + 1).toString(16).padStart(32, 'a'),
    spanId: id(pick.span),
    ...(pick.parent === undefined ? {} : { parentSpanId: id(pick.parent) }),
    startMillis: 0,
    endMillis: 100 + 100 * pick.end,
    scope: pick.scope,
  };
  if (pick.variant === 3) {
    return { ...base, name: 'agent step', attributes: {} };
  }
  const attributes: Record<string, string | number> = chatAttributes(
    1000 + 100 * pick.span + 7 * pick.variant,
    200 + pick.variant,
  );
  if (pick.responseId !== undefined) {
    attributes['gen_ai.response.id'] = `chatcmpl-${pick.responseId}`;
  }
  return { ...base, name: 'chat gpt-4o-mini', attributes };
}

const pipelineOf = (): CostPipeline =>
  createCostPipeline({ ...DEFAULT_PIPELINE_CONFIG, emitters: 'all' });
const enricherOf = (pipeline: CostPipeline): RequestEnricher =>
  new RequestEnricher({
    pipeline,
    traceWindowMillis: WINDOW_MILLIS,
    maxTraces: 1,
  });

/** What a delivery produced, comparable across enrichers. */
function deliver(
  enricher: RequestEnricher,
  specs: readonly JsonSpanSpec[],
  forwarded: boolean,
  nowMillis: number,
): unknown {
  const request = scannedJson(specs);
  const result = enricher.enrich(request, nowMillis);
  const records = forwarded ? enricher.commit(result.calls) : [];
  for (const { call, cost } of records) {
    expect(cost.priced && cost.totalUsd).toBeCloseTo(
      expectedCost(GPT_4O_MINI, {
        uncachedInput: call.usage?.inputTokens ?? NaN,
        output: call.usage?.outputTokens ?? NaN,
      }).total,
      12,
    );
  }
  return {
    spans: scannedSpans(request).map(({ rejected, update }) => ({
      rejected,
      update,
    })),
    accepted: result.spans,
    rejected: result.rejectedSpans,
    duplicates: result.duplicateSpans,
    calls: result.calls.map(({ spanId, record }) => [spanId, record.cost]),
    records: records.map(({ spanId, call, cost }) => [spanId, call, cost]),
  };
}

describe("a reused trace engine holds nothing of the forgotten trace's", () => {
  it('each round gives what a fresh gateway gives for that trace alone', () => {
    fc.assert(
      fc.property(
        fc.array(roundArb, { minLength: 2, maxLength: 6 }),
        rounds => {
          const subject = enricherOf(pipelineOf());
          let now = 0;
          for (const round of rounds) {
            // The previous round's trace goes by age, or is evicted by
            // another trace's call (one trace held), which this round's
            // first call evicts in turn.
            if (round.swept) now += 2 * WINDOW_MILLIS;
            else {
              const other = spec(OTHER_TRACE, {
                span: 0,
                parent: undefined,
                variant: 0,
                responseId: 0,
                end: 0,
                scope: 'test',
              });
              subject.enrich(scannedJson([other]), now);
            }
            const fresh = enricherOf(pipelineOf());
            let previous: JsonSpanSpec[] | undefined;
            for (const delivery of round.deliveries) {
              const specs =
                delivery.again && previous !== undefined
                  ? previous
                  : delivery.spans.map(pick => spec(round.trace, pick));
              previous = specs;
              expect(deliver(subject, specs, delivery.forwarded, now)).toEqual(
                deliver(fresh, specs, delivery.forwarded, now),
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
