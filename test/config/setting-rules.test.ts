/**
 * Review of issue 10, finding 9: one integer rule and one duration rule,
 * used by the in-process settings and the gateway's alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROCESSOR_SETTINGS } from '../../src/config/processor-settings.js';
import {
  integerIn,
  isDurationSeconds,
  isIntegerIn,
  MAX_DURATION_SECONDS,
} from '../../src/config/setting-values.js';
import {
  checkInteger,
  checkPositiveInt,
  checkSeconds,
} from '../../src/gateway/gateway-option-checks.js';

function accepts(check: (value: unknown) => unknown, value: unknown): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

const WINDOW = PROCESSOR_SETTINGS.find(
  setting => setting.key === 'identityWindowSeconds',
);

/** Numbers near every bound, any double, and things that are not numbers. */
const values = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    0.5,
    1,
    1.5,
    MAX_DURATION_SECONDS,
    MAX_DURATION_SECONDS + 0.5,
    MAX_DURATION_SECONDS + 1,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    Infinity,
    NaN,
    '5',
    null,
    undefined,
  ),
  fc.integer({ min: -10, max: MAX_DURATION_SECONDS + 10 }),
  fc.double(),
  fc.string(),
);

describe('one integer rule, one duration rule', () => {
  it('the largest duration is what Node timers hold: 2147483 s', () => {
    expect(MAX_DURATION_SECONDS).toBe(2147483);
  });

  it('the gateway and the in-process settings accept exactly what the shared rules accept', () => {
    const check = WINDOW?.check;
    expect(check).toBeDefined();
    fc.assert(
      fc.property(values, value => {
        expect(accepts(checkSeconds, value)).toBe(
          isDurationSeconds(value, true),
        );
        expect(accepts(check as (v: unknown) => unknown, value)).toBe(
          isDurationSeconds(value, false),
        );
        // Whole seconds are durations; a fraction only for the window.
        if (isDurationSeconds(value, true)) {
          expect(isDurationSeconds(value, false)).toBe(true);
        }
        expect(accepts(checkPositiveInt, value)).toBe(
          accepts(integerIn(1, Number.MAX_SAFE_INTEGER).check, value),
        );
        expect(accepts(v => checkInteger(v, 0, 65535), value)).toBe(
          isIntegerIn(value, 0, 65535),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
