/**
 * The recorded stacked setups (two instrumentation layers recording each
 * real call, in one trace or two) sent through the gateway as OTLP/JSON in
 * their real end order: in one request (a batch processor's flush), one span
 * per request (a simple processor), and split at random points. Each real
 * call is counted exactly once at its published price, a redelivered batch
 * is not counted again, and the forwarded spans carry one cost per call.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedSpan } from '../fixtures/emitters/load-recorded-spans.js';
import {
  callCount,
  expectedCallCosts,
  loadSetup,
  sortedUsd,
  STACKED_SETUPS,
  type StackedSetup,
} from '../select/stacked-truth.js';
import { numberOf } from './helpers/forwarded-assertions.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import { JSON_HEADERS } from './helpers/otlp-json.js';
import { rawRequest } from './helpers/raw-http.js';

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { intValue: String(value) }
      : { doubleValue: value };
  }
  if (Array.isArray(value)) {
    return { arrayValue: { values: value.map(anyValue) } };
  }
  return { stringValue: String(value) };
}

/** One OTLP/JSON request with `spans`, grouped by scope, in the order given. */
function otlpRequest(spans: readonly RecordedSpan[]): Buffer {
  const scopes = new Map<string, Record<string, unknown>[]>();
  for (const span of spans) {
    const list = scopes.get(span.scope.name) ?? [];
    list.push({
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId ?? '',
      name: span.name,
      kind: span.kind + 1,
      startTimeUnixNano: span.startTimeUnixNano.toString(),
      endTimeUnixNano: span.endTimeUnixNano.toString(),
      attributes: Object.entries(span.attributes).map(([key, value]) => ({
        key,
        value: anyValue(value),
      })),
    });
    scopes.set(span.scope.name, list);
  }
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'app' } },
            ],
          },
          scopeSpans: [...scopes].map(([name, list]) => ({
            scope: { name },
            spans: list,
          })),
        },
      ],
    }),
  );
}

async function post(body: Buffer): Promise<void> {
  const response = await rawRequest((fixture as GatewayFixture).gateway.url, {
    headers: JSON_HEADERS,
    body,
  });
  expect(response.status, response.body.toString()).toBe(200);
}

/** Sends the spans (in end order) cut into requests at `cuts`. */
async function send(
  spans: readonly RecordedSpan[],
  cuts: readonly number[],
): Promise<void> {
  const points = [...new Set(cuts)].filter(c => c > 0 && c < spans.length);
  points.sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, spans.length]) {
    await post(otlpRequest(spans.slice(from, to)));
    from = to;
  }
}

/**
 * Within one request the better-informed record of each call is priced;
 * across requests the first priced wins (the gateway cannot take back a
 * span it forwarded), so a call whose client span came in an earlier
 * request than its framework span is priced from the client's usage:
 * `acrossRequests` accepts either record's price for each call.
 */
function expectOncePerCall(setup: StackedSetup, acrossRequests = false): void {
  const recording = loadSetup(setup);
  const all = (fixture as GatewayFixture).records;
  const records = all.filter(record => record.cost.priced);
  expect(records).toHaveLength(callCount(recording));
  // Across requests, a call first counted unpriced (a client span without
  // usage) is counted again, priced, when its framework span brings the
  // usage: a cost is never lost, the call count can be one more.
  const unpriced = all.filter(record => !record.cost.priced);
  if (!acrossRequests) expect(unpriced).toHaveLength(0);
  for (const record of unpriced) {
    expect(record.cost.priced ? '' : record.cost.reason).toBe('missing_usage');
  }
  const forwarded = (fixture as GatewayFixture).forwardedSpans();
  const costs = forwarded
    .map(span => span.attributes['gen_ai.usage.cost'])
    .filter(value => value !== undefined)
    .map(value => numberOf(value));
  expect(costs).toHaveLength(callCount(recording));
  const expected = expectedCallCosts(setup, recording);
  if (expected === undefined) return;
  if (acrossRequests) {
    const either = new Set(
      sortedUsd([
        ...expected,
        ...(expectedCallCosts({ ...setup, cacheReported: false }, recording) ??
          []),
      ]),
    );
    for (const value of sortedUsd(costs)) expect(either).toContain(value);
    return;
  }
  expect(
    sortedUsd(records.map(r => (r.cost.priced ? r.cost.totalUsd : NaN))),
  ).toEqual(sortedUsd(expected));
  expect(sortedUsd(costs)).toEqual(sortedUsd(expected));
}

describe('recorded stacked instrumentations through the gateway', () => {
  for (const setup of STACKED_SETUPS) {
    it(`${setup.file}: one request, each real call counted once; delivered again, not counted again`, async () => {
      fixture = await startGatewayFixture();
      const { spans } = loadSetup(setup);
      await send(spans, []);
      expectOncePerCall(setup);
      await send(spans, []); // the Collector retried: same bytes
      expect(fixture.records).toHaveLength(callCount(loadSetup(setup)));
    });

    it(`${setup.file}: one span per request, in end order`, async () => {
      fixture = await startGatewayFixture();
      const { spans } = loadSetup(setup);
      await send(
        spans,
        spans.map((_, i) => i),
      );
      expectOncePerCall(setup, true);
    });
  }

  it('split at random points (generated): each real call counted once', async () => {
    const setups = STACKED_SETUPS.filter(s => s.rates !== undefined);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: setups.length - 1 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
        async (which, cuts) => {
          const setup = setups[which] as StackedSetup;
          fixture = await startGatewayFixture();
          try {
            await send(loadSetup(setup).spans, cuts);
            expectOncePerCall(setup, cuts.length > 0);
          } finally {
            await fixture.close();
            fixture = undefined;
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("emitters 'all' (--emitters all) turns the cross-layer matching off: LangChain's and the client's spans are both counted", async () => {
    fixture = await startGatewayFixture({ emitters: 'all' });
    const setup = STACKED_SETUPS.find(
      s => s.file === 'langchain/openinference+otel-openai.json',
    ) as StackedSetup;
    await send(loadSetup(setup).spans, []);
    expect(fixture.records).toHaveLength(2 * callCount(loadSetup(setup)));
  });
});
