import { InvalidArgumentError, type Command } from 'commander';
import { processEnv } from '../config/env.js';
import { IDENTITY_SETTINGS } from '../config/identity-settings.js';
import {
  LEDGER_RETAIN_DAYS_SETTING,
  LEDGER_SETTING,
} from '../config/ledger-settings.js';
import { resolveSettings } from '../config/resolve-settings.js';
import type { Setting } from '../config/setting.js';
import { forgetUser } from '../ledger/forget-user.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { openLedgerStore } from '../ledger/open-ledger-store.js';
import { pruneLedger } from '../ledger/retention.js';

/** Exit status of a bad flag or variable (as the other commands). */
const BAD_SETTING_EXIT = 2;

class LedgerCommandError extends Error {
  override name = 'LedgerCommandError';
}

interface CommonFlags {
  readonly ledger?: string;
  readonly format: 'table' | 'json';
}

function format(raw: string): 'table' | 'json' {
  if (raw === 'table' || raw === 'json') return raw;
  const error = new InvalidArgumentError('expected table or json');
  error.exitCode = BAD_SETTING_EXIT;
  throw error;
}

function retainDays(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  try {
    return LEDGER_RETAIN_DAYS_SETTING.parse?.(raw);
  } catch (error) {
    throw new LedgerCommandError(`--retain-days: ${(error as Error).message}`);
  }
}

/** `--ledger` else `OTEL_GENAI_COST_LEDGER`, and the other settings, checked. */
function settings(options: object): Record<string, unknown> {
  const table = [
    LEDGER_SETTING,
    LEDGER_RETAIN_DAYS_SETTING,
    ...IDENTITY_SETTINGS,
  ] as unknown as Setting[];
  return resolveSettings(table, {
    options,
    env: processEnv(),
    onInvalid: {
      kind: 'fail',
      error: message => new LedgerCommandError(message),
    },
  });
}

async function withStore<T>(
  url: unknown,
  use: (store: LedgerStore) => Promise<T>,
): Promise<T> {
  if (typeof url !== 'string') {
    throw new LedgerCommandError(
      'no ledger: pass --ledger <url> or set OTEL_GENAI_COST_LEDGER',
    );
  }
  const store = await openLedgerStore(url);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Runs an action: a bad setting exits 2, any other failure 1, one line on stderr. */
function run(action: () => Promise<string>): Promise<void> {
  return action().then(
    text => {
      process.stdout.write(text + '\n');
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`otel-genai-cost ledger: ${message}\n`);
      process.exitCode =
        error instanceof LedgerCommandError ? BAD_SETTING_EXIT : 1;
    },
  );
}

/**
 * `otel-genai-cost ledger prune|forget`: retention and deletion by user on
 * a ledger (`sqlite:<path>` or `postgres://`), outside the application.
 */
export function registerLedgerCommand(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('maintain a cost ledger: retention and deletion by user');
  ledger
    .command('prune')
    .description(
      'remove rows older than --retain-days days before today (UTC): PostgreSQL drops day partitions, SQLite deletes rows',
    )
    .option(
      '--ledger <url>',
      'sqlite:<path> or postgres://... (env OTEL_GENAI_COST_LEDGER)',
    )
    .option(
      '--retain-days <days>',
      'keep today and this many days before it (env OTEL_GENAI_COST_LEDGER_RETAIN_DAYS)',
    )
    .option('--format <format>', 'table or json', format, 'table')
    .action((flags: CommonFlags & { retainDays?: string }) =>
      run(async () => {
        const s = settings({
          ledger: flags.ledger,
          ledgerRetainDays: retainDays(flags.retainDays),
        });
        const days = s['ledgerRetainDays'];
        if (typeof days !== 'number') {
          throw new LedgerCommandError(
            'pass --retain-days <days> or set OTEL_GENAI_COST_LEDGER_RETAIN_DAYS',
          );
        }
        const result = await withStore(s['ledger'], store =>
          pruneLedger(store, days),
        );
        if (flags.format === 'json') return JSON.stringify(result);
        const partitions =
          result.droppedPartitions.length === 0
            ? ''
            : ` (dropped partitions: ${result.droppedPartitions.join(', ')})`;
        return `removed ${result.deletedRows} row(s) before ${result.cutoff}${partitions}`;
      }),
    );
  ledger
    .command('forget')
    .description(
      "delete every row of a user; with OTEL_GENAI_COST_HMAC_SECRET set, the raw id's pseudonym is computed as the pipeline does",
    )
    .option(
      '--ledger <url>',
      'sqlite:<path> or postgres://... (env OTEL_GENAI_COST_LEDGER)',
    )
    .requiredOption('--user <id>', 'the user id as the application gave it')
    .option('--format <format>', 'table or json', format, 'table')
    .action((flags: CommonFlags & { user: string }) =>
      run(async () => {
        const s = settings({ ledger: flags.ledger });
        const result = await withStore(s['ledger'], store =>
          forgetUser(store, flags.user, {
            hmacSecret: s['hmacSecret'] as string | undefined,
            pseudonymizeKeys: s['pseudonymizeKeys'] as string[] | undefined,
            maxTagValueLength: s['maxTagValueLength'] as number | undefined,
            allowRawEmail: s['allowRawEmail'] as boolean | undefined,
          }),
        );
        if (flags.format === 'json') return JSON.stringify(result);
        return `deleted ${result.deleted} row(s) of that user and ${result.billingEvents} billing export outbox entr${result.billingEvents === 1 ? 'y' : 'ies'} billed to them`;
      }),
    );
}
