/**
 * Assertions over the attributes `CostSpanProcessor` writes (the contract):
 * `gen_ai.usage.cost` (USD total) and its `.input`, `.output`, `.cache_read`,
 * `.cache_write` parts, `.currency`, `.source`, `.unpriced_reason`,
 * `.price_version`.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import type { ExpectedCost } from './prices.js';

export const COST = 'gen_ai.usage.cost';
export const COST_INPUT = 'gen_ai.cost.input';
export const COST_OUTPUT = 'gen_ai.cost.output';
export const COST_CACHE_READ = 'gen_ai.cost.cache_read';
export const COST_CACHE_WRITE = 'gen_ai.cost.cache_write';
export const COST_CURRENCY = 'gen_ai.cost.currency';
export const COST_SOURCE = 'gen_ai.cost.source';
export const COST_UNPRICED_REASON = 'gen_ai.cost.unpriced_reason';
export const COST_PRICE_VERSION = 'gen_ai.cost.price_version';

const COST_PARTS = [
  COST_INPUT,
  COST_OUTPUT,
  COST_CACHE_READ,
  COST_CACHE_WRITE,
] as const;

/** Relative tolerance for USD amounts. */
const RELATIVE_TOLERANCE = 1e-9;

/** `actual` equals `expected` within a relative tolerance of 1e-9. */
export function expectUsd(
  actual: unknown,
  expected: number,
  label = 'USD amount',
): void {
  expect(typeof actual, `${label} should be a number`).toBe('number');
  const value = actual as number;
  const tolerance = Math.max(Math.abs(expected) * RELATIVE_TOLERANCE, 1e-15);
  expect(
    Math.abs(value - expected) <= tolerance,
    `${label}: expected ${expected} (±${tolerance}), got ${value}`,
  ).toBe(true);
}

/** The `gen_ai.usage.cost` of a span, or undefined. */
export function costOf(span: ReadableSpan): number | undefined {
  const value = span.attributes[COST];
  return typeof value === 'number' ? value : undefined;
}

/** Sum of `gen_ai.usage.cost` over all spans (spans without it count 0). */
export function totalCost(spans: readonly ReadableSpan[]): number {
  return spans.reduce((sum, span) => sum + (costOf(span) ?? 0), 0);
}

/** Spans that carry a `gen_ai.usage.cost`. */
export function pricedSpans(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter(span => span.attributes[COST] !== undefined);
}

function part(span: ReadableSpan, key: string): number {
  const value = span.attributes[key];
  if (value === undefined) return 0;
  expect(typeof value, `${span.name}: ${key} should be a number`).toBe(
    'number',
  );
  return value as number;
}

/**
 * A span priced from the price table: source, currency and price version are
 * set, the four parts add up to the total, and (when given) the total — and
 * with `parts` each part — equals the independently computed cost.
 * A part may be omitted by the processor when it is zero.
 */
export function expectPricedSpan(
  span: ReadableSpan,
  expected?: ExpectedCost | number,
  options: { readonly parts?: boolean } = {},
): void {
  const attrs = span.attributes;
  const where = `${span.name} ${JSON.stringify(attrs)}`;
  expect(typeof attrs[COST], `${where}: ${COST} should be a number`).toBe(
    'number',
  );
  expect(attrs[COST_SOURCE], where).toBe('price_table');
  expect(attrs[COST_CURRENCY], where).toBe('USD');
  expect(attrs[COST_UNPRICED_REASON], where).toBeUndefined();
  expect(
    typeof attrs[COST_PRICE_VERSION],
    `${where}: ${COST_PRICE_VERSION}`,
  ).toBe('string');
  const total = attrs[COST] as number;
  const sumOfParts = COST_PARTS.reduce((sum, key) => sum + part(span, key), 0);
  expectUsd(
    sumOfParts,
    total,
    `${span.name}: input + output + cache_read + cache_write`,
  );
  if (expected === undefined) return;
  const expectedTotal =
    typeof expected === 'number' ? expected : expected.total;
  expectUsd(total, expectedTotal, `${span.name}: ${COST}`);
  if (options.parts === true && typeof expected !== 'number') {
    expectUsd(
      part(span, COST_INPUT),
      expected.input,
      `${span.name}: ${COST_INPUT}`,
    );
    expectUsd(
      part(span, COST_OUTPUT),
      expected.output,
      `${span.name}: ${COST_OUTPUT}`,
    );
    expectUsd(
      part(span, COST_CACHE_READ),
      expected.cacheRead,
      `${span.name}: ${COST_CACHE_READ}`,
    );
    expectUsd(
      part(span, COST_CACHE_WRITE),
      expected.cacheWrite,
      `${span.name}: ${COST_CACHE_WRITE}`,
    );
  }
}

/**
 * A span that must not be priced: a wrapper (agent, step, tool, roll-up) or a
 * non-LLM span. It carries no cost, no cost parts, and no cost source at all
 * (a wrapper is not an "unpriced call" either).
 */
export function expectNoCost(span: ReadableSpan): void {
  const attrs = span.attributes;
  const where = `${span.name} ${JSON.stringify(attrs)}`;
  expect(attrs[COST], where).toBeUndefined();
  for (const key of COST_PARTS) expect(attrs[key], where).toBeUndefined();
  expect(attrs[COST_CURRENCY], where).toBeUndefined();
  expect(attrs[COST_SOURCE], where).toBeUndefined();
}

/** An LLM call that could not be priced: no cost, source `unpriced`, and the reason. */
export function expectUnpricedSpan(span: ReadableSpan, reason: string): void {
  const attrs = span.attributes;
  const where = `${span.name} ${JSON.stringify(attrs)}`;
  expect(attrs[COST], where).toBeUndefined();
  for (const key of COST_PARTS) expect(attrs[key], where).toBeUndefined();
  expect(attrs[COST_SOURCE], where).toBe('unpriced');
  expect(attrs[COST_UNPRICED_REASON], where).toBe(reason);
}

/**
 * The trace-level check: exactly `pricedCalls` spans carry a cost (the
 * provider calls), each priced from the price table, and the sum over all
 * spans equals `expectedTotal`.
 */
export function expectTraceTotal(
  spans: readonly ReadableSpan[],
  pricedCalls: readonly ReadableSpan[],
  expectedTotal: number,
): void {
  const priced = pricedSpans(spans);
  expect(
    priced.map(span => span.spanContext().spanId).sort(),
    `priced spans should be exactly the provider calls; priced: ${priced.map(s => s.name).join(', ')}`,
  ).toEqual(pricedCalls.map(span => span.spanContext().spanId).sort());
  for (const span of priced) expectPricedSpan(span);
  expectUsd(
    totalCost(spans),
    expectedTotal,
    'trace total of gen_ai.usage.cost',
  );
}
