/** The CSV export: exact totals from published rates, formula-injection safe, RFC 4180 quoting. */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  exportUsageCsv,
  usdOfNanoUsd,
} from '../../../src/ledger/export/usage-csv.js';
// The one CSV rule (the report's): the export writes its cells with it.
import { csvCell as csvField } from '../../../src/ledger/report/report-csv.js';
import { NOW, tempLedger, type TempLedger } from './export-fixture.js';

let ledger: TempLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

/** A minimal RFC 4180 reader, to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

describe('export --to csv', () => {
  it('one line per customer-day with exact totals; unpriced calls counted, not priced', async () => {
    ledger = await tempLedger();
    await ledger.add([
      {
        day: '2026-11-20',
        tenant: '=HYPERLINK("http://x")',
        input: 1_000_000,
        output: 0,
      },
      { day: '2026-11-20', tenant: 'acme', input: 1, output: 1 },
      { day: '2026-11-20', tenant: 'acme', input: 9, output: 9, priced: false },
      { day: '2026-11-30', tenant: 'acme', input: 1, output: 1 },
    ]);
    const { csv, openDays } = await exportUsageCsv({
      store: ledger.store,
      period: '2026-11',
      now: () => NOW,
    });
    expect(openDays).toEqual(['2026-11-30']);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'day',
      'customer_by',
      'customer',
      'calls',
      'unpriced_calls',
      'input_tokens',
      'output_tokens',
      'cost_nusd',
      'cost_usd',
    ]);
    // gpt-4o: 1M input tokens at $2.50; 1 input + 1 output = $0.0000125.
    expect(rows.slice(1)).toEqual([
      [
        '2026-11-20',
        'tenant',
        `'=HYPERLINK("http://x")`,
        '1',
        '0',
        '1000000',
        '0',
        '2500000000',
        '2.500000000',
      ],
      [
        '2026-11-20',
        'tenant',
        'acme',
        '1',
        '1',
        '1',
        '1',
        '12500',
        '0.000012500',
      ],
    ]);
  });

  it('no field a spreadsheet would run as a formula, and every field reads back (generated text)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'=+-@\t\r\n",\' a1é'.split('')),
          maxLength: 30,
        }),
        text => {
          const field = csvField(text);
          const [back] = parseCsv(`${field}\r\n`);
          const value = back?.[0] ?? '';
          return (
            !/^[=+\-@\t\r]/.test(value) &&
            (value === text || value === `'${text}`)
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('nano-dollars print as exact USD', () => {
    expect(usdOfNanoUsd(0)).toBe('0.000000000');
    expect(usdOfNanoUsd(1)).toBe('0.000000001');
    expect(usdOfNanoUsd(9_007_199_254_740_991)).toBe('9007199.254740991');
  });
});
