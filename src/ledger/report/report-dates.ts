import { LedgerQueryError } from '../query/ledger-query.js';

const DAY_MILLIS = 86_400_000;
const HOUR_MILLIS = 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const AGO = /^(\d{1,6})([dh])$/;

/** What a report's `--since` and `--until` accept, for messages. */
export const REPORT_DATE_FORMS =
  'a date (2026-11-30, UTC), a date and time (2026-11-30T12:00:00Z; UTC without an offset) or a time ago (7d, 12h)';

/**
 * A report bound: `YYYY-MM-DD` (UTC midnight; as an end, the end of that
 * day, so `--until 2026-11-30` includes the 30th), an ISO 8601 date and
 * time (UTC unless it has an offset), or `<n>d` / `<n>h` before `now`.
 */
export function parseReportDate(raw: string, now: Date, end = false): Date {
  const ago = AGO.exec(raw);
  if (ago !== null) {
    const unit = ago[2] === 'd' ? DAY_MILLIS : HOUR_MILLIS;
    return new Date(now.getTime() - Number(ago[1]) * unit);
  }
  const date = DATE.exec(raw);
  if (date !== null) {
    const millis = Date.UTC(
      Number(date[1]),
      Number(date[2]) - 1,
      Number(date[3]),
    );
    // Date.UTC rolls 2026-02-30 over to March: refused instead.
    if (new Date(millis).toISOString().slice(0, 10) === raw) {
      return new Date(end ? millis + DAY_MILLIS : millis);
    }
  } else if (DATE_TIME.test(raw)) {
    const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(raw) ? raw : `${raw}Z`;
    const millis = Date.parse(zoned);
    if (!Number.isNaN(millis)) return new Date(millis);
  }
  throw new LedgerQueryError(`expected ${REPORT_DATE_FORMS}`);
}

/** `key=value` (split at the first `=`; both parts non-empty). */
export function parseReportTag(raw: string): [string, string] {
  const at = raw.indexOf('=');
  if (at <= 0 || at === raw.length - 1) {
    throw new LedgerQueryError('expected key=value (e.g. --tag region=eu)');
  }
  return [raw.slice(0, at), raw.slice(at + 1)];
}
