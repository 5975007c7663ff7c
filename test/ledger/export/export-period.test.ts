/** Periods, day splitting, keys and the customer map: the rules the export is built on. */
import { describe, expect, it } from 'vitest';
import { parseCustomerTable } from '../../../src/ledger/export/customer-map.js';
import { ExportError } from '../../../src/ledger/export/export-error.js';
import {
  parseExportPeriod,
  splitClosedDays,
} from '../../../src/ledger/export/export-period.js';
import { eventKey } from '../../../src/ledger/export/idempotency-key.js';

describe('export period', () => {
  it('reads a month (leap years included) and a day range', () => {
    expect(parseExportPeriod('2028-02')).toEqual({
      first: '2028-02-01',
      last: '2028-02-29',
    });
    expect(parseExportPeriod('2026-12')).toEqual({
      first: '2026-12-01',
      last: '2026-12-31',
    });
    expect(parseExportPeriod('2026-11-03..2026-11-05')).toEqual({
      first: '2026-11-03',
      last: '2026-11-05',
    });
    expect(parseExportPeriod('2026-11-03')).toEqual({
      first: '2026-11-03',
      last: '2026-11-03',
    });
  });

  it.each([
    '2026-13',
    '2026-02-30',
    '2026-11-05..2026-11-03',
    'last month',
    '2026-01-01..2027-06-01',
    '2026-11-01..2026-11-02..2026-11-03',
  ])('refuses %s', text =>
    expect(() => parseExportPeriod(text)).toThrow(ExportError),
  );

  it('exports only days that ended (UTC); today and later are left for a later run', () => {
    const now = Date.UTC(2026, 10, 30, 0, 0, 0); // midnight: the 29th just ended
    expect(
      splitClosedDays(parseExportPeriod('2026-11-28..2026-12-01'), now),
    ).toEqual({
      closed: ['2026-11-28', '2026-11-29'],
      open: ['2026-11-30', '2026-12-01'],
    });
    expect(
      splitClosedDays(parseExportPeriod('2026-11-29'), now - 1).closed,
    ).toEqual([]);
  });
});

describe('event key', () => {
  const input = {
    destination: 'stripe',
    meter: 'llm_cost_usd_micros',
    by: 'tenant' as const,
    customer: 'acme',
    day: '2026-11-20',
    totalNanoUsd: 5_402_500,
  };
  it("is the same for the same inputs, within Stripe's 100 characters, and changes with each field", () => {
    const key = eventKey(input);
    expect(eventKey({ ...input })).toBe(key);
    expect(key).toMatch(/^oge_[0-9a-f]{64}$/);
    expect(key.length).toBeLessThanOrEqual(100);
    const variants = [
      { destination: 'stripe-test' },
      { meter: 'other' },
      { by: 'user' as const },
      { customer: 'acme2' },
      { day: '2026-11-21' },
      { totalNanoUsd: 5_402_501 },
    ].map(change => eventKey({ ...input, ...change }));
    expect(new Set([key, ...variants]).size).toBe(7);
    // Fields cannot run into each other.
    expect(eventKey({ ...input, destination: 'a', meter: 'b,c' })).not.toBe(
      eventKey({ ...input, destination: 'a,b', meter: 'c' }),
    );
  });
});

describe('customer table', () => {
  it('refuses two ledger ids mapped to one customer, blank ids and non-objects', () => {
    expect(() => parseCustomerTable('{"a":"cus_1","b":"cus_1"}', 'f')).toThrow(
      /same customer/,
    );
    expect(() => parseCustomerTable('{"a":" "}', 'f')).toThrow(ExportError);
    expect(() => parseCustomerTable('["a"]', 'f')).toThrow(ExportError);
    expect(() => parseCustomerTable('nope', 'f')).toThrow(/not JSON/);
    const map = parseCustomerTable('{"a":"cus_1"}', 'f');
    expect(map.kind === 'table' && map.ids.get('a')).toBe('cus_1');
  });
});
