/**
 * Attack finding 1 (issue 9 hardening): `ResourceSpans` field 1000. The
 * vendored v1 protos reserve it; opentelemetry-proto v0.15-v0.18 called it
 * `instrumentation_library_spans` (OTLP/JSON `instrumentationLibrarySpans`,
 * scope under `instrumentationLibrary`) and the Collector still decodes it
 * as `deprecated_scope_spans`: `MigrateTraces` moves it into `scope_spans`
 * when those are empty and drops it otherwise. The gateway does the same,
 * so spans hidden there are priced, pseudonymized, counted and bounded like
 * any other, and none is forwarded raw. Expected costs: OpenAI's published
 * gpt-4o-mini prices ($0.15/M input, $0.60/M output).
 */
import fc from 'fast-check';
import protobuf from 'protobufjs/light.js';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedCost, GPT_4O_MINI } from '../../helpers/prices.js';
import { numberOf } from '../helpers/forwarded-assertions.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import { ld, requestOf, varint } from '../helpers/hostile-bodies.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';
import { referenceDecode } from '../helpers/reference-decoder.js';

const SECRET = 'attack-secret';
const EMAIL = 'alice@example.com';
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const FIELD_1000 = (1000 << 3) | 2;
const SCOPE_SPANS = 0x12;

const totals = (fixture: GatewayFixture): number[] =>
  fixture.records
    .map(record => (record.cost.priced ? record.cost.totalUsd : Number.NaN))
    .sort((a, b) => a - b);
const expectCloseAll = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  const sorted = [...expected].sort((a, b) => a - b);
  actual.forEach((value, index) => {
    expect(value).toBeCloseTo(sorted[index] as number, 12);
  });
};

const cost = (input: number, output: number): number =>
  expectedCost(GPT_4O_MINI, { uncachedInput: input, output }).total;

const str = (value: string): Buffer => ld(0x0a, Buffer.from(value));
const kv = (key: string, value: Buffer): Buffer =>
  ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, value));
const intValue = (value: number): Buffer =>
  Buffer.concat([Buffer.from([0x18]), varint(value)]);

let nextId = 1;
const traceIdOf = (id: number): Buffer => {
  const traceId = Buffer.alloc(16, 0x3c);
  traceId.writeUInt32BE(id, 12);
  return traceId;
};
const spanIdOf = (id: number): Buffer => {
  const spanId = Buffer.alloc(8, 0x4d);
  spanId.writeUInt32BE(id, 4);
  return spanId;
};

/** A gpt-4o-mini chat span (200 output tokens) with `extra` attributes. */
function chatSpan(id: number, ...extra: Buffer[]): Buffer {
  const time = (tag: number, nanos: bigint): Buffer => {
    const out = Buffer.alloc(9);
    out[0] = tag;
    out.writeBigUInt64LE(nanos, 1);
    return out;
  };
  return Buffer.concat([
    ld(0x0a, traceIdOf(id)),
    ld(0x12, spanIdOf(id)),
    ld(0x2a, Buffer.from('chat gpt-4o-mini')),
    Buffer.from([0x30, 3]),
    time(0x39, 1_767_225_600_000_000_000n),
    time(0x41, 1_767_225_600_100_000_000n),
    kv('gen_ai.operation.name', str('chat')),
    kv('gen_ai.provider.name', str('openai')),
    kv('gen_ai.request.model', str('gpt-4o-mini')),
    kv('gen_ai.usage.output_tokens', intValue(200)),
    ...extra,
  ]);
}

/** The span's id, as the reference decoder prints it. */
const hexSpanId = (id: number): string => spanIdOf(id).toString('hex');

/**
 * Each forwarded `ResourceSpans` as its fields (an independent walk): the
 * field number, and for field 1000 whether it holds a span.
 */
function resourceFields(
  body: Uint8Array,
): { number: number; holdsSpans: boolean }[][] {
  const reader = protobuf.Reader.create(body);
  const resources: { number: number; holdsSpans: boolean }[][] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== 0x0a) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    const fields: { number: number; holdsSpans: boolean }[] = [];
    while (reader.pos < end) {
      const inner = reader.uint32();
      let holdsSpans = false;
      if (inner === FIELD_1000) {
        const entryEnd = reader.uint32() + reader.pos;
        while (reader.pos < entryEnd) {
          const field = reader.uint32();
          if (field === 0x12) holdsSpans = true;
          reader.skipType(field & 7);
        }
      } else reader.skipType(inner & 7);
      fields.push({ number: inner >>> 3, holdsSpans });
    }
    resources.push(fields);
  }
  return resources;
}

interface PartialSuccess {
  readonly rejectedSpans?: string | number;
  readonly errorMessage?: string;
}

function partialSuccessOf(body: Buffer, json: boolean): PartialSuccess {
  if (json) {
    return (
      (JSON.parse(body.toString()) as { partialSuccess?: PartialSuccess })
        .partialSuccess ?? {}
    );
  }
  // ExportTraceServiceResponse { 1: ExportTracePartialSuccess { 1: int64, 2: string } }
  const reader = protobuf.Reader.create(body);
  const result: { rejectedSpans?: number; errorMessage?: string } = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== 0x0a) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) {
      const inner = reader.uint32();
      if (inner === 0x08) result.rejectedSpans = Number(reader.int64());
      else if (inner === 0x12) result.errorMessage = reader.string();
      else reader.skipType(inner & 7);
    }
  }
  return result;
}

describe('ResourceSpans field 1000 (the reported cases)', () => {
  let fixture: GatewayFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('spans in field 1000 of a resource without scope_spans are migrated: priced, pseudonymized, counted, written as field 2', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const hiddenId = nextId++;
    const honestId = nextId++;
    const hidden = ld(
      0x0a,
      ld(
        FIELD_1000,
        ld(
          0x12,
          chatSpan(
            hiddenId,
            kv('gen_ai.usage.input_tokens', intValue(1000)),
            kv('user.id', str(EMAIL)),
          ),
        ),
      ),
    );
    const honest = requestOf(
      chatSpan(honestId, kv('gen_ai.usage.input_tokens', intValue(10))),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body: Buffer.concat([hidden, honest]),
    });
    expect(response.status).toBe(200);
    expect(partialSuccessOf(response.body, false)).toEqual({});
    const forwarded = Buffer.concat(
      fixture.sink.accepted.map(request => request.body),
    );
    expect(forwarded.includes(Buffer.from(EMAIL))).toBe(false);
    for (const request of fixture.sink.accepted) {
      for (const fields of resourceFields(request.body)) {
        expect(fields.map(field => field.number)).not.toContain(1000);
      }
    }
    const spans = fixture.forwardedSpans();
    const migrated = spans.find(span => span.spanId === hexSpanId(hiddenId));
    expect(migrated).toBeDefined();
    expect(numberOf(migrated?.attributes['gen_ai.usage.cost'])).toBeCloseTo(
      cost(1000, 200),
      12,
    );
    const userId = migrated?.attributes['user.id'];
    expect(userId).toBeDefined();
    expect(JSON.stringify(userId)).not.toContain('alice');
    expect(fixture.records).toHaveLength(2);
    expectCloseAll(totals(fixture), [cost(10, 200), cost(1000, 200)]);
  });

  it('a request whose only spans are in field 1000 is forwarded (and priced), not answered 200 with nothing forwarded', async () => {
    fixture = await startGatewayFixture();
    const id = nextId++;
    const body = ld(
      0x0a,
      ld(
        FIELD_1000,
        ld(0x12, chatSpan(id, kv('gen_ai.usage.input_tokens', intValue(1000)))),
      ),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expect(response.status).toBe(200);
    expect(fixture.sink.accepted).toHaveLength(1);
    const [span] = fixture.forwardedSpans();
    expect(span?.spanId).toBe(hexSpanId(id));
    expect(numberOf(span?.attributes['gen_ai.usage.cost'])).toBeCloseTo(
      cost(1000, 200),
      12,
    );
  });

  it('field 1000 next to scope_spans is dropped (as the Collector drops it) and its spans reported rejected', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const hiddenId = nextId++;
    const honestId = nextId++;
    const body = ld(
      0x0a,
      ld(
        FIELD_1000,
        ld(
          0x12,
          chatSpan(
            hiddenId,
            kv('gen_ai.usage.input_tokens', intValue(1000)),
            kv('user.id', str(EMAIL)),
          ),
        ),
      ),
      // scope_spans after field 1000: the whole resource decides.
      ld(
        SCOPE_SPANS,
        ld(
          0x12,
          chatSpan(honestId, kv('gen_ai.usage.input_tokens', intValue(10))),
        ),
      ),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expect(response.status).toBe(200);
    const partial = partialSuccessOf(response.body, false);
    expect(partial.rejectedSpans).toBe(1);
    expect(partial.errorMessage).toContain('field 1000');
    const forwarded = Buffer.concat(
      fixture.sink.accepted.map(request => request.body),
    );
    expect(forwarded.includes(Buffer.from(EMAIL))).toBe(false);
    expect(fixture.forwardedSpans().map(span => span.spanId)).toEqual([
      hexSpanId(honestId),
    ]);
    expectCloseAll(totals(fixture), [cost(10, 200)]);
  });

  it('only dropped spans: 200 with every span rejected, nothing forwarded', async () => {
    fixture = await startGatewayFixture();
    const body = ld(
      0x0a,
      ld(SCOPE_SPANS),
      ld(
        FIELD_1000,
        ld(0x12, chatSpan(nextId++)),
        ld(0x12, chatSpan(nextId++)),
      ),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expect(response.status).toBe(200);
    expect(partialSuccessOf(response.body, false).rejectedSpans).toBe(2);
    expect(fixture.sink.accepted).toHaveLength(0);
    expect(fixture.records).toHaveLength(0);
  });

  it('spans in field 1000 count against the decode limits', async () => {
    fixture = await startGatewayFixture({ maxSpansPerRequest: 2 });
    const body = ld(
      0x0a,
      ld(
        FIELD_1000,
        ld(0x12, chatSpan(nextId++)),
        ld(0x12, chatSpan(nextId++)),
        ld(0x12, chatSpan(nextId++)),
      ),
    );
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expect(response.status).toBe(413);
    expect(rpcStatusOf(response).message).toContain('--max-spans-per-request');
  });

  it('field 1000 with the wrong wire type is invalid protobuf (400)', async () => {
    fixture = await startGatewayFixture();
    const body = ld(0x0a, Buffer.concat([varint((1000 << 3) | 0), varint(5)]));
    const response = await rawRequest(fixture.gateway.url, {
      headers: PROTOBUF,
      body,
    });
    expect(response.status).toBe(400);
  });

  it('OTLP/JSON instrumentationLibrarySpans (opentelemetry-proto v0.15-v0.18) is migrated, or dropped next to scopeSpans', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const migratedId = nextId++;
    const droppedId = nextId++;
    const keptId = nextId++;
    const body = JSON.stringify({
      resourceSpans: [
        {
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'old-lib' },
              spans: [jsonChatSpan(migratedId, 1000)],
            },
          ],
        },
        {
          scopeSpans: [{ spans: [jsonChatSpan(keptId, 10)] }],
          instrumentationLibrarySpans: [
            { spans: [jsonChatSpan(droppedId, 5000)] },
          ],
        },
      ],
    });
    const response = await rawRequest(fixture.gateway.url, {
      headers: JSON_TYPE,
      body: Buffer.from(body),
    });
    expect(response.status).toBe(200);
    const partial = partialSuccessOf(response.body, true);
    expect(Number(partial.rejectedSpans)).toBe(1);
    expect(partial.errorMessage).toContain('field 1000');
    const spans = fixture.forwardedSpans();
    expect(spans.map(span => span.spanId).sort()).toEqual(
      [hexSpanId(migratedId), hexSpanId(keptId)].sort(),
    );
    const migrated = spans.find(span => span.spanId === hexSpanId(migratedId));
    expect(migrated?.scope).toBe('old-lib');
    expect(numberOf(migrated?.attributes['gen_ai.usage.cost'])).toBeCloseTo(
      cost(1000, 200),
      12,
    );
    const forwarded = Buffer.concat(
      fixture.sink.accepted.map(request => request.body),
    );
    expect(forwarded.includes(Buffer.from(EMAIL))).toBe(false);
  });
});

/** The chat span as OTLP/JSON, with `user.id` = EMAIL. */
function jsonChatSpan(id: number, input: number): Record<string, unknown> {
  const attribute = (key: string, value: Record<string, unknown>) => ({
    key,
    value,
  });
  return {
    traceId: traceIdOf(id).toString('hex'),
    spanId: spanIdOf(id).toString('hex'),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: '1767225600000000000',
    endTimeUnixNano: '1767225600100000000',
    attributes: [
      attribute('gen_ai.operation.name', { stringValue: 'chat' }),
      attribute('gen_ai.provider.name', { stringValue: 'openai' }),
      attribute('gen_ai.request.model', { stringValue: 'gpt-4o-mini' }),
      attribute('gen_ai.usage.input_tokens', { intValue: input }),
      attribute('gen_ai.usage.output_tokens', { intValue: 200 }),
      attribute('user.id', { stringValue: EMAIL }),
    ],
  };
}

/** A resource as a sequence of scope spans entries, each field 2 or 1000. */
interface EntryModel {
  readonly deprecated: boolean;
  readonly inputs: readonly number[];
}
type ResourceModel = readonly EntryModel[];

const resourceArb: fc.Arbitrary<ResourceModel> = fc.array(
  fc.record({
    deprecated: fc.boolean(),
    inputs: fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 3 }),
  }),
  { maxLength: 4 },
);

/** Spans of the model with their ids, and whether each is dropped. */
function expectationOf(resources: readonly ResourceModel[], firstId: number) {
  let id = firstId;
  const kept: { id: number; input: number }[] = [];
  let dropped = 0;
  const ids: number[][][] = resources.map(entries => {
    const hasScopeSpans = entries.some(entry => !entry.deprecated);
    return entries.map(entry =>
      entry.inputs.map(input => {
        const spanId = id++;
        if (entry.deprecated && hasScopeSpans) dropped += 1;
        else kept.push({ id: spanId, input });
        return spanId;
      }),
    );
  });
  return { ids, kept, dropped, next: id };
}

function protobufOf(
  resources: readonly ResourceModel[],
  ids: number[][][],
): Buffer {
  return Buffer.concat(
    resources.map((entries, r) =>
      ld(
        0x0a,
        ...entries.map((entry, e) =>
          ld(
            entry.deprecated ? FIELD_1000 : SCOPE_SPANS,
            ...entry.inputs.map((input, s) =>
              ld(
                0x12,
                chatSpan(
                  ids[r]![e]![s]!,
                  kv('gen_ai.usage.input_tokens', intValue(input)),
                  kv('user.id', str(EMAIL)),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function jsonOf(
  resources: readonly ResourceModel[],
  ids: number[][][],
): Buffer {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: resources.map((entries, r) => {
        const resource: Record<string, unknown[]> = {};
        entries.forEach((entry, e) => {
          const key = entry.deprecated
            ? 'instrumentationLibrarySpans'
            : 'scopeSpans';
          (resource[key] ??= []).push({
            spans: entry.inputs.map((input, s) =>
              jsonChatSpan(ids[r]![e]![s]!, input),
            ),
          });
        });
        return resource;
      }),
    }),
  );
}

describe('ResourceSpans field 1000 (generated)', () => {
  let fixture: GatewayFixture;
  beforeAll(async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('field 1000 anywhere, mixed with field 2, protobuf, gzip or JSON: migrated or dropped per resource as the Collector does, never forwarded raw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(resourceArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('protobuf', 'gzip', 'json'),
        async (resources, format) => {
          const expected = expectationOf(resources, nextId);
          nextId = expected.next;
          const plain =
            format === 'json'
              ? jsonOf(resources, expected.ids)
              : protobufOf(resources, expected.ids);
          const acceptedBefore = fixture.sink.accepted.length;
          const recordsBefore = fixture.records.length;
          const response = await rawRequest(fixture.gateway.url, {
            headers:
              format === 'json'
                ? JSON_TYPE
                : format === 'gzip'
                  ? { ...PROTOBUF, 'content-encoding': 'gzip' }
                  : PROTOBUF,
            body: format === 'gzip' ? gzipSync(plain) : plain,
          });
          expect(response.status, response.body.toString()).toBe(200);
          const partial = partialSuccessOf(response.body, format === 'json');
          expect(Number(partial.rejectedSpans ?? 0)).toBe(expected.dropped);
          const accepted = fixture.sink.accepted.slice(acceptedBefore);
          expect(accepted).toHaveLength(expected.kept.length > 0 ? 1 : 0);
          const body = accepted[0]?.body ?? Buffer.alloc(0);
          expect(body.includes(Buffer.from(EMAIL))).toBe(false);
          // Field 1000 may stay only without spans (nothing to read in it).
          for (const fields of resourceFields(body)) {
            expect(fields.filter(field => field.holdsSpans)).toEqual([]);
          }
          const spans = referenceDecode(body);
          expect(spans.map(span => span.spanId).sort()).toEqual(
            expected.kept.map(span => hexSpanId(span.id)).sort(),
          );
          for (const { id, input } of expected.kept) {
            const span = spans.find(each => each.spanId === hexSpanId(id));
            expect(numberOf(span?.attributes['gen_ai.usage.cost'])).toBeCloseTo(
              cost(input, 200),
              12,
            );
          }
          expect(fixture.records.length - recordsBefore).toBe(
            expected.kept.length,
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
