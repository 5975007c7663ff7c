/**
 * Duplicate span ids in the pipeline (issue 9, case 6b), generated: batches
 * mixing distinct calls that reuse trace and span ids, exact redeliveries
 * (the same bytes again, in the same or a later request, counted or not)
 * and non-LLM spans reusing an LLM span's ids. Whatever the mix, each
 * distinct call is either priced with its own tokens and counted once, or
 * rejected and reported; a cost is never copied from one call onto
 * another. Expected costs come from OpenAI's published gpt-4o-mini prices.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import { RequestEnricher } from '../../../src/gateway/pipeline/request-enricher.js';
import { expectedCost, GPT_4O_MINI } from '../../helpers/prices.js';
import { chatAttributes, type JsonSpanSpec } from '../helpers/otlp-json.js';
import { scannedJson, scannedSpans } from './scanned-json.js';

/** One span of a generated batch: which ids, and which content. */
interface Pick {
  readonly trace: number;
  readonly span: number;
  /** 0-2: LLM calls with different usage; 3: a database span. */
  readonly variant: number;
}

const enricher = (): RequestEnricher =>
  new RequestEnricher({
    pipeline: createCostPipeline(),
    traceWindowMillis: 3_600_000,
    maxTraces: 1000,
  });

const isLlm = (pick: Pick): boolean => pick.variant < 3;
const tokensOf = (pick: Pick): { input: number; output: number } => ({
  input: 1000 + 100 * pick.span + 7 * pick.variant,
  output: 200 + pick.variant,
});
const costOf = (pick: Pick): number => {
  const { input, output } = tokensOf(pick);
  return expectedCost(GPT_4O_MINI, { uncachedInput: input, output }).total;
};

/** Same ids and times whatever the content: only the attributes differ. */
function spec(pick: Pick): JsonSpanSpec {
  const ids = {
    traceId: (pick.trace + 1).toString(16).padStart(32, 'a'),
    spanId: (pick.span + 1).toString(16).padStart(16, 'b'),
    startMillis: 0,
    endMillis: 500,
  };
  if (!isLlm(pick)) {
    return {
      ...ids,
      name: 'SELECT users',
      attributes: { 'db.system.name': 'postgresql' },
    };
  }
  const { input, output } = tokensOf(pick);
  return {
    ...ids,
    name: 'chat gpt-4o-mini',
    attributes: chatAttributes(input, output),
  };
}

const pickArb = fc.record({
  trace: fc.integer({ min: 0, max: 1 }),
  span: fc.integer({ min: 0, max: 2 }),
  variant: fc.integer({ min: 0, max: 3 }),
});
/** A new batch, or the previous one delivered again; forwarded or not. */
const deliveryArb = fc.record({
  again: fc.boolean(),
  picks: fc.array(pickArb, { minLength: 1, maxLength: 6 }),
  forwarded: fc.boolean(),
});

describe('duplicate span ids (generated)', () => {
  it('each distinct call is priced with its own tokens and counted once, or rejected and reported', () => {
    fc.assert(
      fc.property(
        fc.array(deliveryArb, { minLength: 1, maxLength: 8 }),
        deliveries => {
          const subject = enricher();
          /** The model: first LLM content seen under each ids, and what was counted. */
          const owner = new Map<string, number>();
          const counted = new Set<string>();
          let previous: readonly Pick[] | undefined;
          for (const delivery of deliveries) {
            const picks =
              delivery.again && previous ? previous : delivery.picks;
            previous = picks;
            const request = scannedJson(picks.map(spec));
            const result = subject.enrich(request, 0);
            const spans = scannedSpans(request);
            let rejected = 0;
            const expectedCounts: number[] = [];
            picks.forEach((pick, index) => {
              const key = `${pick.trace}/${pick.span}`;
              const first = owner.get(key);
              const scanned = spans[index];
              const cost = scanned?.update?.['gen_ai.usage.cost'];
              if (
                first !== undefined &&
                (first !== pick.variant || !isLlm(pick))
              ) {
                rejected += 1;
                expect(scanned?.rejected).toBe(true);
                return;
              }
              expect(scanned?.rejected).toBe(false);
              if (!isLlm(pick)) {
                expect(cost).toBeUndefined();
                return;
              }
              owner.set(key, pick.variant);
              expect(cost).toBeCloseTo(costOf(pick), 12);
              if (delivery.forwarded && !counted.has(key)) {
                counted.add(key);
                expectedCounts.push(tokensOf(pick).input);
              }
            });
            expect(result.duplicateSpans).toBe(rejected);
            expect(result.rejectedSpans).toBe(rejected);
            expect(result.spans).toBe(picks.length - rejected);
            if (delivery.forwarded) {
              const records = subject.commit(result.calls);
              expect(
                records.map(record => record.call.usage?.inputTokens),
              ).toEqual(expectedCounts);
              for (const record of records) {
                const usage = record.call.usage;
                expect(record.cost.priced && record.cost.totalUsd).toBeCloseTo(
                  expectedCost(GPT_4O_MINI, {
                    uncachedInput: usage?.inputTokens ?? NaN,
                    output: usage?.outputTokens ?? NaN,
                  }).total,
                  12,
                );
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
