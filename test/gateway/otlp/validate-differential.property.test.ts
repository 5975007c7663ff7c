import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodeLimits } from '../../../src/gateway/otlp/decode-limits.js';
import { runSteps } from '../../../src/gateway/otlp/decode-lane.js';
import {
  validateProtobufRequest,
  walkProtobufRequest,
} from '../../../src/gateway/otlp/validate-protobuf-request.js';
import { plainSpanItems } from '../../../src/gateway/otlp/validate-plain-span.js';
import { WireReader } from '../../../src/gateway/otlp/wire-reader.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver.js';
import {
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';
import { deepValue, requestOf, tinySpan } from '../helpers/hostile-bodies.js';
import { referenceValidateProtobufRequest } from './reference/validate-protobuf-request.js';
import {
  encodedRequest,
  limitsArbitrary,
  mutate,
  mutations,
  outcomeOf,
  soupBody,
} from './reference/validate-bodies.js';

/**
 * The table-driven walk and the plain-span check against the per-field
 * walk they replaced (test/gateway/otlp/reference/): the same counts for
 * every request accepted, the same error (message, offset and status) for
 * every request rejected, under any limits.
 */

let sink: OtlpReceiver;
/** Real exporter requests (one span each) and all of them as one request. */
let exported: Buffer[];
beforeAll(async () => {
  sink = await startOtlpReceiver();
  const { provider } = scenarioProvider(
    new OTLPTraceExporter({ url: sink.url }),
  );
  const tracers = scenarioTracers(provider);
  for (let n = 0; n < 3; n++) emitScenario(tracers, n);
  await provider.forceFlush();
  await provider.shutdown();
  const bodies = sink.accepted.map(request => request.body);
  exported = [...bodies, Buffer.concat(bodies)];
});
afterAll(async () => {
  await sink.close();
});

function expectSameOutcome(body: Uint8Array, limits: DecodeLimits): void {
  expect(outcomeOf(validateProtobufRequest, body, limits)).toEqual(
    outcomeOf(referenceValidateProtobufRequest, body, limits),
  );
}

const anyExported = (): fc.Arbitrary<Buffer> =>
  fc.integer({ min: 0, max: exported.length - 1 }).map(i => exported[i]!);

describe('validateProtobufRequest agrees with the per-field walk', () => {
  it('on random requests, under random limits', () => {
    fc.assert(fc.property(encodedRequest, limitsArbitrary, expectSameOutcome), {
      numRuns: 400,
    });
  });

  it('on random requests truncated, bit-flipped, overwritten, spliced', () => {
    fc.assert(
      fc.property(
        encodedRequest,
        mutations,
        limitsArbitrary,
        (body, changes, limits) =>
          expectSameOutcome(mutate(body, changes), limits),
      ),
      { numRuns: 600 },
    );
  });

  it('on field soups (unknown fields, wrong wire types, long tags) at every level', () => {
    fc.assert(
      fc.property(
        soupBody,
        fc.option(mutations, { nil: undefined }),
        limitsArbitrary,
        (body, changes, limits) =>
          expectSameOutcome(
            changes === undefined ? body : mutate(body, changes),
            limits,
          ),
      ),
      { numRuns: 600 },
    );
  });

  it('on real exporter requests, whole and mutated, under random limits', () => {
    expect(exported.length).toBeGreaterThan(4);
    for (const body of exported) {
      expectSameOutcome(body, {
        maxSpansPerRequest: 10_000,
        maxItemsPerRequest: 1_000_000,
        maxValueDepth: 16,
      });
    }
    fc.assert(
      fc.property(
        anyExported(),
        mutations,
        limitsArbitrary,
        (body, changes, limits) =>
          expectSameOutcome(mutate(body, changes), limits),
      ),
      { numRuns: 600 },
    );
  });

  it('on nested values around the depth the plain check stops at', () => {
    for (let depth = 0; depth <= 7; depth++) {
      for (const kind of ['array', 'kvlist'] as const) {
        const body = requestOf(tinySpan(deepValue(depth, kind)));
        for (const maxValueDepth of [
          0,
          1,
          2,
          3,
          4,
          5,
          6,
          7,
          0.5,
          2.5,
          -1,
          NaN,
          Infinity,
        ]) {
          for (const maxItemsPerRequest of [3, 8, 1_000]) {
            expectSameOutcome(body, {
              maxSpansPerRequest: 10,
              maxItemsPerRequest,
              maxValueDepth,
            });
          }
        }
      }
    }
  });

  it('in steps as at once', () => {
    fc.assert(
      fc.property(encodedRequest, limitsArbitrary, (body, limits) => {
        expect(
          outcomeOf(
            (b, l) => runSteps(walkProtobufRequest(b, l)),
            body,
            limits,
          ),
        ).toEqual(outcomeOf(validateProtobufRequest, body, limits));
      }),
      { numRuns: 100 },
    );
  });
});

describe('plainSpanItems', () => {
  it('takes every span of a real exporter, with the items the walk counts', () => {
    let spans = 0;
    for (const body of exported.slice(0, -1)) {
      const { start, end } = onlySpan(body);
      const items = plainSpanItems(body, start, end, 16);
      // The span alone in a request: resource spans, scope spans, the span
      // and what it holds.
      const alone = referenceValidateProtobufRequest(
        requestOf(body.subarray(start, end)),
        LIMITS,
      );
      expect(items).toBeGreaterThan(0);
      expect(items).toBe(alone.items - 3);
      spans += 1;
    }
    expect(spans).toBeGreaterThan(4);
  });

  it('leaves to the walk what it does not take whole', () => {
    const span = tinySpan(deepValue(2, 'array'));
    // Nested deeper than the depth left: not plain.
    expect(plainSpanItems(span, 0, span.length, 1)).toBe(-1);
    // A key-value, then two levels of value and array, then the leaf value.
    expect(plainSpanItems(span, 0, span.length, 2)).toBe(1 + 2 * 2 + 1);
    // A tag of three bytes (field 4096), or cut short: not plain.
    const far = Buffer.concat([span, Buffer.from([0x80, 0x80, 0x01, 0x00])]);
    expect(plainSpanItems(far, 0, far.length, 16)).toBe(-1);
    expect(plainSpanItems(span, 0, span.length - 1, 16)).toBe(-1);
  });
});

const LIMITS: DecodeLimits = {
  maxSpansPerRequest: 10,
  maxItemsPerRequest: 1_000_000,
  maxValueDepth: 16,
};

/** Where the content of a request's only span is (request > resource > scope > span). */
function onlySpan(body: Buffer): { start: number; end: number } {
  const path = [1, 2, 2];
  const reader = new WireReader(body);
  let found: { start: number; end: number } | undefined;
  const descend = (end: number, depth: number): void => {
    while (reader.pos < end) {
      const tag = reader.varint();
      if ((tag & 7) !== 2) {
        reader.skip(tag & 7);
        continue;
      }
      const fieldEnd = reader.lengthEnd();
      if (tag >>> 3 === path[depth]) {
        if (depth === path.length - 1) {
          found = { start: reader.pos, end: fieldEnd };
        } else descend(fieldEnd, depth + 1);
      }
      reader.pos = fieldEnd;
    }
  };
  descend(body.length, 0);
  if (found === undefined) throw new Error('no span');
  return found;
}
