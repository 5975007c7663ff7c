/** The assertion every AI SDK scenario ends with. */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import {
  expectNoCost,
  expectTraceTotal,
} from '../../helpers/cost-assertions.js';
import { describeSpans } from '../../helpers/tracing.js';
import type { AiSdkMajor, ExpectedAttributes, Names } from './ai-sdk-major.js';

/**
 * Splits the spans into provider calls and wrappers, checks both against the
 * expected names, checks that no wrapper carries a cost and that the trace
 * total equals `expectedTotal`. Returns the calls.
 */
export function expectPricedOnce(
  major: Pick<AiSdkMajor, 'isCall'>,
  spans: readonly ReadableSpan[],
  names: Names,
  expectedTotal: number,
): ReadableSpan[] {
  const calls = spans.filter(span => major.isCall(span));
  const wrappers = spans.filter(span => !major.isCall(span));
  const dump = describeSpans(spans);
  expect(calls.map(span => span.name).sort(), dump).toEqual(
    [...names.calls].sort(),
  );
  expect(wrappers.map(span => span.name).sort(), dump).toEqual(
    [...names.wrappers].sort(),
  );
  for (const wrapper of wrappers) expectNoCost(wrapper);
  expectTraceTotal(spans, calls, expectedTotal);
  return calls;
}

/** Checks each expected attribute on `span` (`undefined`: absent). */
export function expectAttributes(
  span: ReadableSpan | undefined,
  expected: ExpectedAttributes,
): void {
  for (const [key, value] of Object.entries(expected)) {
    expect(span?.attributes[key], key).toEqual(value);
  }
}
