/**
 * OTLP/JSON with the proto's field names (`resource_spans`, `trace_id`,
 * `string_value`), which the Collector's pdata reads as it reads the
 * lowerCamelCase names: the same request either way, bounded the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeLimits } from '../../../src/gateway/otlp/decode-limits.js';
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import {
  JSON_FIELDS_BY_NAME,
  jsonKeys,
} from '../../../src/gateway/otlp/json-field-names.js';
import { exportTraceRequestFromJson } from '../../../src/gateway/otlp/json-trace-request.js';
import { FIELDS_BY_NAME } from '../../../src/gateway/otlp/otlp-wire-schema.js';
import { jsonRequest } from './json-request-arbitrary.js';

/** `startTimeUnixNano` -> `start_time_unix_nano`, written out here, not imported. */
function snake(key: string): string {
  return key.replace(/[A-Z]/g, letter => `_${letter.toLowerCase()}`);
}

/** The value with each object key in snake_case where `pick()` says so. */
function respell(value: unknown, pick: () => boolean): unknown {
  if (Array.isArray(value)) return value.map(item => respell(item, pick));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[pick() ? snake(key) : key] = respell(inner, pick);
  }
  return out;
}

/** A cycle over generated booleans: which keys get the proto spelling. */
function picker(choices: readonly boolean[]): () => boolean {
  let index = 0;
  return () => choices[index++ % choices.length] as boolean;
}

const choices = fc.array(fc.boolean(), { minLength: 1, maxLength: 40 });
const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** What decoding gives: the request, or the error without its byte offset. */
function outcome(bytes: Buffer, limits?: DecodeLimits): unknown {
  try {
    return decodeExportTraceRequest(bytes, 'json', limits);
  } catch (error) {
    return { error: (error as Error).message.replace(/ at byte \d+$/, '') };
  }
}

describe('OTLP/JSON under the proto field names', () => {
  it('a request with every key in snake_case decodes as in lowerCamelCase', () => {
    fc.assert(
      fc.property(jsonRequest, request => {
        const camel = decodeExportTraceRequest(body(request), 'json');
        const proto = decodeExportTraceRequest(
          body(respell(request, () => true)),
          'json',
        );
        expect(proto).toEqual(camel);
      }),
      { numRuns: 200 },
    );
  });

  it('keys respelled at random, key by key, give the same decoded request', () => {
    fc.assert(
      fc.property(jsonRequest, choices, (request, picks) => {
        const mixed = respell(request, picker(picks));
        expect(exportTraceRequestFromJson(mixed)).toEqual(
          exportTraceRequestFromJson(request),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('are bounded exactly as lowerCamelCase: the same limit errors under any limits', () => {
    const limits = fc.record({
      maxSpansPerRequest: fc.nat(6),
      maxItemsPerRequest: fc.nat(250),
      maxValueDepth: fc.nat(3),
    });
    fc.assert(
      fc.property(jsonRequest, choices, limits, (request, picks, limit) => {
        const mixed = body(respell(request, picker(picks)));
        expect(outcome(mixed, limit)).toEqual(outcome(body(request), limit));
      }),
      { numRuns: 300 },
    );
  });

  it('a snake_case LLM span is read in full: ids, times, kind, attributes', () => {
    const request = exportTraceRequestFromJson({
      resource_spans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { string_value: 'py' } },
            ],
            dropped_attributes_count: 1,
          },
          scope_spans: [
            {
              scope: { name: 'openai' },
              schema_url: 'https://opentelemetry.io/schemas/1.30.0',
              spans: [
                {
                  trace_id: '5b8efff798038103d269b633813fc60c',
                  span_id: 'eee19b7ec3c1b174',
                  parent_span_id: 'eee19b7ec3c1b175',
                  name: 'chat gpt-4o',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: '1544712660000000000',
                  end_time_unix_nano: '1544712661000000000',
                  attributes: [
                    {
                      key: 'gen_ai.request.model',
                      value: { string_value: 'gpt-4o' },
                    },
                    {
                      key: 'gen_ai.usage.input_tokens',
                      value: { int_value: '1000' },
                    },
                    { key: 'ratio', value: { double_value: 0.5 } },
                    { key: 'stream', value: { bool_value: true } },
                    { key: 'raw', value: { bytes_value: 'AQI=' } },
                    {
                      key: 'list',
                      value: { array_value: { values: [{ int_value: 7 }] } },
                    },
                    {
                      key: 'map',
                      value: {
                        kvlist_value: {
                          values: [{ key: 'k', value: { string_value: 'v' } }],
                        },
                      },
                    },
                  ],
                  dropped_events_count: 2,
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
    const resourceSpans = request.resourceSpans[0];
    expect(resourceSpans?.resource?.droppedAttributesCount).toBe(1);
    const scopeSpans = resourceSpans?.scopeSpans[0];
    expect(scopeSpans?.schemaUrl).toBe(
      'https://opentelemetry.io/schemas/1.30.0',
    );
    const span = scopeSpans?.spans[0];
    expect(Buffer.from(span?.traceId ?? []).toString('hex')).toBe(
      '5b8efff798038103d269b633813fc60c',
    );
    expect(Buffer.from(span?.spanId ?? []).toString('hex')).toBe(
      'eee19b7ec3c1b174',
    );
    expect(Buffer.from(span?.parentSpanId ?? []).toString('hex')).toBe(
      'eee19b7ec3c1b175',
    );
    expect(span?.kind).toBe(3);
    expect(span?.startTimeUnixNano.toString()).toBe('1544712660000000000');
    expect(span?.endTimeUnixNano.toString()).toBe('1544712661000000000');
    expect(span?.droppedEventsCount).toBe(2);
    expect(span?.status).toEqual({ code: 2, message: 'boom' });
    expect(span?.attributes.map(attribute => attribute.value)).toEqual([
      { stringValue: 'gpt-4o' },
      { intValue: '1000' },
      { doubleValue: 0.5 },
      { boolValue: true },
      { bytesValue: Buffer.from([1, 2]) },
      { arrayValue: { values: [{ intValue: 7 }] } },
      {
        kvlistValue: {
          values: [{ key: 'k', value: { stringValue: 'v' } }],
        },
      },
    ]);
  });

  it('both spellings in one object: arrays in document order, single values the later one (as the Collector)', () => {
    const span = (id: string): Record<string, unknown> => ({
      traceId: '01'.repeat(16),
      spanId: id.repeat(8),
    });
    const request = exportTraceRequestFromJson({
      resource_spans: [
        {
          scope_spans: [{ spans: [span('0a')] }],
          schemaUrl: 'camel-first',
          scopeSpans: [{ spans: [span('0b'), span('0c')] }],
          schema_url: 'snake-last',
        },
      ],
      resourceSpans: [{ scopeSpans: [{ spans: [span('0d')] }] }],
    });
    expect(request.resourceSpans).toHaveLength(2);
    const [first, second] = request.resourceSpans;
    expect(first?.schemaUrl).toBe('snake-last');
    expect(
      first?.scopeSpans.map(scope =>
        scope.spans.map(s => Buffer.from(s.spanId).toString('hex').slice(0, 2)),
      ),
    ).toEqual([['0a'], ['0b', '0c']]);
    expect(second?.scopeSpans[0]?.spans).toHaveLength(1);
    const later = exportTraceRequestFromJson({
      resourceSpans: [{ schema_url: 'snake-first', schemaUrl: 'camel-last' }],
    });
    expect(later.resourceSpans[0]?.schemaUrl).toBe('camel-last');
  });

  it('a null under one spelling leaves the other', () => {
    const request = exportTraceRequestFromJson({
      resourceSpans: [
        { schema_url: 'kept', schemaUrl: null, scope_spans: null },
      ],
    });
    expect(request.resourceSpans[0]?.schemaUrl).toBe('kept');
    expect(request.resourceSpans[0]?.scopeSpans).toEqual([]);
  });

  it.each([
    [
      { stringValue: 'x', int_value: 1 },
      'resourceSpans[0].resource.attributes[0].value: both stringValue and int_value are set',
    ],
    [
      { int_value: 1, string_value: 'x' },
      'resourceSpans[0].resource.attributes[0].value: both string_value and int_value are set',
    ],
    [
      { string_value: 'x', stringValue: 'y' },
      'resourceSpans[0].resource.attributes[0].value: both string_value and stringValue are set',
    ],
    [
      { int_value: 'ten' },
      'resourceSpans[0].resource.attributes[0].value.int_value: expected an integer (number or decimal string), got the string "ten"',
    ],
  ])('errors name the key as the sender spelled it: %j', (value, message) => {
    expect(() =>
      exportTraceRequestFromJson({
        resourceSpans: [{ resource: { attributes: [{ key: 'a', value }] } }],
      }),
    ).toThrow(message);
  });

  it('a wrong type under a snake_case key fails with that key in the path', () => {
    expect(() =>
      exportTraceRequestFromJson({
        resource_spans: [{ scope_spans: [{ spans: [{ trace_id: 'xyz' }] }] }],
      }),
    ).toThrow(
      'resource_spans[0].scope_spans[0].spans[0].trace_id: expected a hex-encoded id',
    );
  });

  it('keys in neither spelling are still ignored', () => {
    expect(
      exportTraceRequestFromJson({
        ResourceSpans: [{ scopeSpans: [{ spans: [{}] }] }],
        resource_Spans: [{}],
        resourcespans: [{}],
      }),
    ).toEqual({ resourceSpans: [] });
  });

  it('the bound knows every field of the schema under both names, and nothing else', () => {
    FIELDS_BY_NAME.forEach((byName, kind) => {
      const both = JSON_FIELDS_BY_NAME[kind];
      for (const [name, spec] of byName) {
        expect(both?.get(name)).toBe(spec);
        expect(both?.get(snake(name))).toBe(spec);
      }
      expect(both?.size).toBe(
        new Set([...byName.keys()].flatMap(name => [name, snake(name)])).size,
      );
    });
    expect(JSON_FIELDS_BY_NAME[0]?.get('resource_spans')?.number).toBe(1);
  });

  it('a reader for a name the schema does not have fails at load', () => {
    expect(() => jsonKeys(['traceID'])).toThrow(
      'traceID is not an OTLP/JSON field name',
    );
    expect(jsonKeys(['startTimeUnixNano', 'name'])).toEqual({
      startTimeUnixNano: {
        name: 'startTimeUnixNano',
        proto: 'start_time_unix_nano',
      },
      name: { name: 'name', proto: undefined },
    });
  });
});
