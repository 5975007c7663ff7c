/** Assertions over spans the sink received from the gateway. */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import type { ExpectedCost } from '../../helpers/prices.js';
import {
  comparableFromReadable,
  type Canonical,
  type ComparableSpan,
} from './reference-decoder.js';

const COST_KEYS = [
  'gen_ai.usage.cost',
  'gen_ai.cost.input',
  'gen_ai.cost.output',
  'gen_ai.cost.cache_read',
  'gen_ai.cost.cache_write',
] as const;

/** The number in a canonical value (OTLP int or double). */
export function numberOf(value: Canonical | undefined): number {
  if (value !== undefined && 'd' in value) return value.d;
  if (value !== undefined && 'i' in value) return Number(value.i);
  throw new Error(`not a number: ${JSON.stringify(value)}`);
}

/** The forwarded copies of `span` (by span id). */
export function copiesOf(
  forwarded: readonly ComparableSpan[],
  span: ReadableSpan,
): ComparableSpan[] {
  const spanId = span.spanContext().spanId;
  return forwarded.filter(candidate => candidate.spanId === spanId);
}

/** Forwarded exactly once and identical in content: ids, times, attributes, events, links, status, resource. */
export function expectUnchanged(
  forwarded: readonly ComparableSpan[],
  span: ReadableSpan,
): void {
  const copies = copiesOf(forwarded, span);
  expect(copies, `${span.name} forwarded once`).toHaveLength(1);
  expect(copies[0]).toEqual(comparableFromReadable(span));
}

/**
 * Forwarded exactly once, identical apart from the added cost attributes,
 * whose total and parts equal the published-price cost within 1e-9.
 */
export function expectPriced(
  forwarded: readonly ComparableSpan[],
  span: ReadableSpan,
  cost: ExpectedCost,
  extra: Readonly<Record<string, Canonical>> = {
    'gen_ai.cost.attribution.source': { s: 'none' },
  },
): void {
  const copies = copiesOf(forwarded, span);
  expect(copies, `${span.name} forwarded once`).toHaveLength(1);
  const copy = copies[0] as ComparableSpan;
  const original = comparableFromReadable(span);
  const { attributes, ...rest } = copy;
  const { attributes: originalAttributes, ...originalRest } = original;
  expect(rest).toEqual(originalRest);
  const added: Record<string, Canonical> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key in originalAttributes)
      expect(value, key).toEqual(originalAttributes[key]);
    else added[key] = value;
  }
  const parts = [
    cost.total,
    cost.input,
    cost.output,
    cost.cacheRead,
    cost.cacheWrite,
  ];
  COST_KEYS.forEach((key, index) => {
    const expected = parts[index] as number;
    const actual = numberOf(added[key]);
    expect(
      Math.abs(actual - expected) <= Math.max(expected * 1e-9, 1e-15),
      `${span.name} ${key}: ${actual} vs ${expected}`,
    ).toBe(true);
  });
  expect(added['gen_ai.cost.currency']).toEqual({ s: 'USD' });
  expect(added['gen_ai.cost.source']).toEqual({ s: 'price_table' });
  expect(added['gen_ai.cost.price_version']).toMatchObject({
    s: expect.stringMatching(/^genai-prices@/) as unknown,
  });
  const known = new Set<string>([
    ...COST_KEYS,
    'gen_ai.cost.currency',
    'gen_ai.cost.source',
    'gen_ai.cost.price_version',
  ]);
  const others = Object.fromEntries(
    Object.entries(added).filter(([key]) => !known.has(key)),
  );
  expect(others).toEqual(extra);
}
