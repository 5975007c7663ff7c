import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerConfigError } from '../../../src/ledger/ledger-config-error.js';
import { parseLedgerUrl } from '../../../src/ledger/ledger-url.js';
import { numberedPlaceholders } from '../../../src/ledger/postgres/numbered-placeholders.js';

describe('postgres:// ledger URLs', () => {
  it('accepts postgres:// and postgresql://; the display form never holds user or password', () => {
    expect(parseLedgerUrl('postgres://app:pw@db.internal:6543/ledger')).toEqual(
      {
        kind: 'postgres',
        url: 'postgres://app:pw@db.internal:6543/ledger',
        display: 'db.internal:6543/ledger',
      },
    );
    expect(
      parseLedgerUrl('postgresql://db/ledger?sslmode=require'),
    ).toMatchObject({
      kind: 'postgres',
      display: 'db:5432/ledger',
    });
  });

  it('refuses a URL it cannot use by name, never repeating it (generated passwords)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 20, unit: 'grapheme-ascii' }),
        fc.constantFrom(
          'postgres://app:%s@db',
          'postgres://app:%s@/ledger',
          'postgres://app:%s@db:99999/x',
        ),
        (password, shape) => {
          fc.pre(/^[A-Za-z0-9]{6,}$/.test(password));
          const url = shape.replace('%s', password);
          let message = '';
          try {
            parseLedgerUrl(url);
          } catch (error) {
            expect(error).toBeInstanceOf(LedgerConfigError);
            message = (error as Error).message;
          }
          expect(message).not.toBe('');
          expect(message).not.toContain(password);
        },
      ),
    );
  });
});

describe('numberedPlaceholders', () => {
  it('numbers ? in order outside quotes and comments', () => {
    expect(
      numberedPlaceholders(
        "SELECT '?', \"a?\", $tag$ ? $tag$ FROM t -- ?\nWHERE a = ? AND b IN (?, ?) /* ? */ AND c = 'it''s ?' AND d = ?",
      ),
    ).toBe(
      "SELECT '?', \"a?\", $tag$ ? $tag$ FROM t -- ?\nWHERE a = $1 AND b IN ($2, $3) /* ? */ AND c = 'it''s ?' AND d = $4",
    );
  });

  it('generated: as many $n as bare ?, numbered 1..n, quoted text unchanged', () => {
    const part = fc.oneof(
      fc.constant('?'),
      fc.constantFrom(' = ', ', ', 'col', ' AND '),
      fc
        .string({ unit: fc.constantFrom('a', '?', ' ', 'x') })
        .map(s => `'${s}'`),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), parts => {
        const sql = parts.join('');
        const bare = parts.filter(p => p === '?').length;
        const out = numberedPlaceholders(sql);
        const numbers = [...out.matchAll(/\$(\d+)/g)].map(m => Number(m[1]));
        expect(numbers).toEqual(Array.from({ length: bare }, (_, i) => i + 1));
        const quoted = (s: string): string[] => s.match(/'[^']*'/g) ?? [];
        expect(quoted(out)).toEqual(quoted(sql));
      }),
    );
  });
});
