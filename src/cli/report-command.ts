import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommanderError } from 'commander';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LEDGER_SETTING } from '../config/ledger-settings.js';
import { envString } from '../config/env.js';
import { LedgerConfigError } from '../ledger/ledger-config-error.js';
import { openLedgerReader } from '../ledger/ledger-reader.js';
import {
  LEDGER_QUERY_BY,
  LedgerQueryError,
  MAX_LEDGER_QUERY_TOP,
  checkLedgerQuery,
  type LedgerQuery,
  type LedgerQueryBy,
} from '../ledger/query/ledger-query.js';
import { formatReportCsv } from '../ledger/report/report-csv.js';
import {
  parseReportDate,
  parseReportTag,
} from '../ledger/report/report-dates.js';
import { readReportPageData } from '../ledger/report/report-page-data.js';
import { renderReportPage } from '../ledger/report/report-page.js';
import { formatReportTable } from '../ledger/report/report-table.js';

/** Rows in the HTML page's table without `--top`. */
export const PAGE_ROWS = 1000;

/** Exit status of bad input (a flag, a date, a missing ledger). */
const BAD_INPUT = 2;

const FORMATS = ['table', 'csv', 'json', 'html'] as const;
type ReportFormat = (typeof FORMATS)[number];

interface ReportFlags {
  readonly ledger?: string;
  readonly by: LedgerQueryBy;
  readonly since?: string;
  readonly until?: string;
  readonly tenant?: string;
  readonly user?: string;
  readonly tag: readonly string[];
  readonly top?: number;
  readonly format: ReportFormat;
  readonly out?: string;
}

/** A flag value commander refuses with status 2. */
function refuse(message: string): InvalidArgumentError {
  const error = new InvalidArgumentError(message);
  error.exitCode = BAD_INPUT;
  return error;
}

function top(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_LEDGER_QUERY_TOP) {
    throw refuse(`expected a whole number from 1 to ${MAX_LEDGER_QUERY_TOP}`);
  }
  return value;
}

function nonEmpty(raw: string): string {
  if (raw === '') throw refuse('expected a non-empty value');
  return raw;
}

/** The query the flags describe; a `LedgerQueryError` naming the flag otherwise. */
export function reportQuery(flags: ReportFlags, now: Date): LedgerQuery {
  const date = (flag: string, raw: string | undefined, end: boolean) => {
    if (raw === undefined) return undefined;
    try {
      return parseReportDate(raw, now, end);
    } catch (error) {
      throw new LedgerQueryError(`${flag}: ${(error as Error).message}`);
    }
  };
  // No prototype: `--tag __proto__=x` is a filter like any other, never dropped.
  const tags = Object.create(null) as Record<string, string>;
  for (const raw of flags.tag) {
    let key: string;
    let value: string;
    try {
      [key, value] = parseReportTag(raw);
    } catch (error) {
      throw new LedgerQueryError(`--tag: ${(error as Error).message}`);
    }
    if (Object.hasOwn(tags, key)) {
      throw new LedgerQueryError(`--tag: ${JSON.stringify(key)} given twice`);
    }
    tags[key] = value;
  }
  const q: LedgerQuery = {
    by: flags.by,
    since: date('--since', flags.since, false),
    until: date('--until', flags.until, true),
    tenantId: flags.tenant,
    userId: flags.user,
    tags: Object.keys(tags).length === 0 ? undefined : tags,
    top: flags.top,
  };
  if (q.since !== undefined && q.until !== undefined && q.since >= q.until) {
    throw new LedgerQueryError('--since must be before --until');
  }
  checkLedgerQuery(q);
  return q;
}

/** `otel-genai-cost report`: spend per user, tenant, model, plan, feature or day, from a ledger. */
export function registerReportCommand(program: Command): void {
  const command = program
    .command('report')
    .description(
      'spend, calls, tokens, last seen and top model per user, tenant, model, plan, feature or day, read from a cost ledger',
    )
    .addOption(
      new Option(
        '--ledger <url>',
        `the ledger to read: sqlite:<path> or postgres://user:password@host:port/database (env: ${LEDGER_SETTING.env})`,
      ),
    )
    .addOption(
      new Option('--by <group>', 'one row per')
        .choices(LEDGER_QUERY_BY)
        .default('user'),
    )
    .option(
      '--since <date|7d>',
      'calls from this date (UTC), date-time or time ago (7d, 12h)',
    )
    .option(
      '--until <date>',
      'calls before this date-time; a date includes that whole day (UTC)',
    )
    .option('--tenant <id>', 'only this tenant', nonEmpty)
    .option(
      '--user <id>',
      'only this user (as stored: the pseudonym when ids are pseudonymized)',
      nonEmpty,
    )
    .addOption(
      new Option(
        '--tag <key=value>',
        'only calls with this tag (repeatable; all must match)',
      )
        .argParser((raw: string, all: string[]) => [...all, raw])
        .default([] as string[], 'none'),
    )
    .option(
      '--top <n>',
      'the n biggest spenders (by day: the n latest days); default all (html: 1000)',
      top,
    )
    .addOption(
      new Option('--format <format>', 'output')
        .choices(FORMATS)
        .default('table'),
    )
    .option('--out <file>', 'write to this file instead of the standard output')
    .showHelpAfterError(false)
    .exitOverride((error: CommanderError) => {
      // Commander's own refusals (unknown flag, bad choice): one line,
      // status 2; ours (`command.error`) keep theirs; --help exits 0.
      process.exit(
        error.exitCode === 0 || error.code === 'commander.error'
          ? error.exitCode
          : BAD_INPUT,
      );
    });
  command.action(async (flags: ReportFlags) => {
    const fail = (error: unknown): never => {
      const input =
        error instanceof LedgerQueryError || error instanceof LedgerConfigError;
      const message = (error as Error).message.replace(
        /^ledger( query)?: /,
        '',
      );
      return command.error(`error: ${message}`, {
        exitCode: input ? BAD_INPUT : 1,
      });
    };
    const url = flags.ledger ?? envString(process.env, LEDGER_SETTING.env);
    if (url === undefined) {
      return fail(
        new LedgerConfigError(
          `--ledger <url> or ${LEDGER_SETTING.env} is required`,
        ),
      );
    }
    let q: LedgerQuery;
    try {
      q = reportQuery(flags, new Date());
    } catch (error) {
      return fail(error);
    }
    const reader = await openLedgerReader(url).catch(fail);
    let text: string;
    try {
      if (flags.format === 'html') {
        // A page is read by people: its table stops at PAGE_ROWS unless --top says otherwise.
        text = renderReportPage(
          await readReportPageData(reader.store, {
            ...q,
            top: q.top ?? PAGE_ROWS,
          }),
        );
      } else {
        const rows = await reader.query(q);
        text =
          flags.format === 'json'
            ? `${JSON.stringify(rows, null, 2)}\n`
            : flags.format === 'csv'
              ? formatReportCsv(rows)
              : `${formatReportTable(rows, q.by)}\n`;
      }
    } catch (error) {
      return fail(error);
    } finally {
      await reader.close();
    }
    if (flags.out === undefined) {
      process.stdout.write(text);
      return;
    }
    try {
      writeFileSync(flags.out, text);
    } catch (error) {
      return fail(new LedgerConfigError(`--out: ${(error as Error).message}`));
    }
    process.stderr.write(`wrote ${resolve(flags.out)}\n`);
  });
}
