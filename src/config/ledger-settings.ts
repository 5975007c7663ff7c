import { LedgerConfigError } from '../ledger/ledger-config-error.js';
import { parseLedgerUrl } from '../ledger/ledger-url.js';
import { SettingError, type Setting } from './setting.js';
import { checkNonEmptyString, integerIn } from './setting-values.js';

/** The cost ledger setting, shared by the processor, exporter wrapper and gateway. */
export interface LedgerSettingValues {
  readonly ledger: string;
  readonly ledgerRetainDays: number;
}

/** A row with a flag and a variable (the gateway lists every one). */
export type LedgerSetting = Setting<LedgerSettingValues, 'ledger'> & {
  readonly flag: string;
  readonly env: string;
};

/** The retention setting (processor, exporter wrapper, gateway). */
export type LedgerRetainDaysSetting = Setting<
  LedgerSettingValues,
  'ledgerRetainDays'
> & {
  readonly flag: string;
  readonly env: string;
};

/** A URL the ledger supports (`sqlite:<path>`, `postgres://`), else the ledger's own message. */
function checkLedgerUrl(value: unknown): string {
  const url = checkNonEmptyString(value);
  try {
    parseLedgerUrl(url);
  } catch (error) {
    if (!(error instanceof LedgerConfigError)) throw error;
    throw new SettingError(error.message.replace(/^ledger: /, ''));
  }
  return url;
}

/**
 * Where a `CostLedger` keeps one row per evaluated call; off when unset.
 * `sqlite:<path>` or `postgres://`; any other scheme is refused by name,
 * never ignored.
 */
export const LEDGER_SETTING: LedgerSetting = {
  key: 'ledger',
  env: 'OTEL_GENAI_COST_LEDGER',
  flag: '--ledger',
  valueName: 'url',
  type: 'string',
  defaultText: undefined,
  description:
    'keep one row per evaluated LLM call (keyed by trace and span id, so a span delivered twice counts once) in a cost ledger: sqlite:<path> (needs the libsql package) or postgres://user:password@host:port/database (needs the pg package); off when unset',
  shells: ['processor', 'exporter', 'gateway'],
  // A database URL may carry a password: no message repeats it.
  secret: true,
  parse: checkLedgerUrl,
  check: checkLedgerUrl,
};

/**
 * The ledger's retention (`CostLedgerOptions.retainDays`): today (UTC) and
 * this many days before it are kept; older rows are removed when the
 * ledger opens and then daily. Unset: kept forever.
 */
export const LEDGER_RETAIN_DAYS_SETTING: LedgerRetainDaysSetting = {
  key: 'ledgerRetainDays',
  env: 'OTEL_GENAI_COST_LEDGER_RETAIN_DAYS',
  flag: '--ledger-retain-days',
  valueName: 'days',
  type: 'number',
  defaultText: undefined,
  description:
    'remove ledger rows older than this many days before today (UTC), when the ledger opens and then daily: PostgreSQL drops whole day partitions, SQLite deletes rows in batches; kept forever when unset',
  shells: ['processor', 'exporter', 'gateway'],
  ...integerIn(1, 36_500),
};
