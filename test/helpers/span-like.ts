import type { SpanAttributes, SpanLike } from '../../src/entries/core.js';

let counter = 0;

/** A SpanLike for unit tests of the pure core. */
export function spanLike(
  attributes: SpanAttributes,
  overrides: Partial<SpanLike> = {},
): SpanLike {
  counter += 1;
  return {
    name: 'span',
    scopeName: 'test',
    traceId: 'a'.repeat(32),
    spanId: counter.toString(16).padStart(16, '0'),
    parentSpanId: undefined,
    startTimeMillis: Date.parse('2026-11-01T12:00:00Z'),
    attributes,
    ...overrides,
  };
}
