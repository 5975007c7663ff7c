import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { LEDGER_SETTING } from '../config/ledger-settings.js';
import { resolveSettings } from '../config/resolve-settings.js';
import type { ExportCustomerBy } from '../ledger/export/aggregate-usage.js';
import {
  loadCustomerTable,
  type CustomerMap,
} from '../ledger/export/customer-map.js';
import type { ExportTarget } from '../ledger/export/destinations/export-destination.js';
import { ExportError } from '../ledger/export/export-error.js';
import {
  EXPORT_SETTINGS,
  type ExportSettingValues,
} from '../ledger/export/export-settings.js';
import {
  exportUsage,
  type ExportUsageReport,
} from '../ledger/export/run-export.js';
import { exportUsageCsv, usdOfNanoUsd } from '../ledger/export/usage-csv.js';
import { LedgerConfigError } from '../ledger/ledger-config-error.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { openLedgerStore } from '../ledger/open-ledger-store.js';
import { addSettingFlags, parseSecretFlags } from './setting-flags.js';
import type { AnySetting } from './settings-table.js';
import { printable } from '../ledger/report/report-table.js';

const SETTINGS = [
  LEDGER_SETTING,
  ...EXPORT_SETTINGS,
] as unknown as readonly AnySetting[];

interface ExportFlags {
  readonly ledger?: string;
  readonly to: ExportTarget | 'csv';
  readonly period: string;
  readonly by: ExportCustomerBy;
  readonly customers?: string;
  readonly customerPrefix?: string;
  readonly destination?: string;
  readonly meter?: string;
  readonly dryRun?: boolean;
  readonly format: 'text' | 'json';
  readonly out?: string;
  readonly resendStalePending?: boolean;
  readonly apiKey?: string;
  readonly endpoint?: string;
}

/** Exit status: bad usage or settings. */
const BAD_USAGE = 2;
/** Done, but billable usage was left out (unmapped, below what was sent, stale pending). */
const INCOMPLETE = 3;

/** `otel-genai-cost export`: usage per customer per day to a billing system, once. */
export function registerExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description(
      'export usage per customer per ended UTC day from a ledger to Stripe, OpenMeter, Lago or CSV; an outbox in the ledger makes a second run send only what is new',
    )
    .addOption(
      new Option('--to <destination>', 'where the usage goes')
        .choices(['stripe', 'openmeter', 'lago', 'csv'])
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--period <period>',
      'YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (UTC days, both included; days not ended yet are left for a later run)',
    )
    .addOption(
      new Option('--by <customer>', 'who is billed')
        .choices(['tenant', 'user'])
        .default('tenant'),
    )
    .option(
      '--customers <file>',
      'JSON object {"<tenant or user id>": "<destination customer id>"}; customers missing from it are reported and skipped',
    )
    .option(
      '--customer-prefix <prefix>',
      'OpenMeter, Lago: the destination id is this prefix plus the ledger id ("" for the same id)',
    )
    .option(
      '--destination <name>',
      'outbox name of this account (default: the --to value); use one name per vendor account, e.g. stripe-test',
    )
    .option(
      '--meter <name>',
      'Stripe event name (default llm_cost_usd_micros), OpenMeter event type or Lago metric code (default llm_cost)',
    )
    .option('--dry-run', 'print the requests that would be sent; send nothing')
    .addOption(
      new Option('--format <format>', 'output')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--out <file>',
      'with --to csv: write the CSV there (default: stdout)',
    )
    .option(
      '--resend-stale-pending',
      'also re-send pending events older than the vendor dedupe window (check the vendor first)',
    );
  addSettingFlags(command, SETTINGS);
  command.action(async (raw: ExportFlags) => {
    let store: LedgerStore | undefined;
    try {
      const flags = parseSecretFlags(raw, SETTINGS);
      const settings = resolveSettings(SETTINGS, {
        options: flags,
        env: process.env,
        onInvalid: { kind: 'fail', error: message => new ExportError(message) },
      }) as Partial<ExportSettingValues> & { ledger?: string };
      if (settings.ledger === undefined)
        throw new ExportError(
          '--ledger (or OTEL_GENAI_COST_LEDGER) is required',
        );
      if (flags.to !== 'csv') customersOf(flags);
      store = await openLedgerStore(settings.ledger);
      if (flags.to === 'csv') {
        const { csv, openDays } = await exportUsageCsv({
          store,
          period: flags.period,
          by: flags.by,
        });
        if (flags.out === undefined) process.stdout.write(csv);
        else writeFileSync(flags.out, csv, { mode: 0o600 });
        if (openDays.length > 0)
          console.error(
            `otel-genai-cost: left out ${openDays.length} day(s) not ended yet (${openDays[0]}...)`,
          );
        return;
      }
      const report = await exportUsage({
        store,
        to: flags.to,
        period: flags.period,
        by: flags.by,
        customers: customersOf(flags),
        ...(flags.destination === undefined
          ? {}
          : { destination: flags.destination }),
        ...(flags.meter === undefined ? {} : { meter: flags.meter }),
        ...(settings.endpoint === undefined
          ? {}
          : { endpoint: settings.endpoint }),
        ...optionalKey(settings.apiKey ?? settings[keyOf(flags.to)]),
        dryRun: flags.dryRun === true,
        resendStalePending: flags.resendStalePending === true,
      });
      print(report, flags.format);
      if (report.failure !== undefined) process.exitCode = 1;
      else if (incomplete(report)) process.exitCode = INCOMPLETE;
    } catch (error) {
      if (!(error instanceof ExportError || error instanceof LedgerConfigError))
        throw error;
      console.error(`otel-genai-cost export: ${error.message}`);
      process.exitCode = BAD_USAGE;
    } finally {
      await store?.close();
    }
  });
}

function keyOf(
  to: ExportTarget,
): 'stripeApiKey' | 'openmeterApiKey' | 'lagoApiKey' {
  return to === 'stripe'
    ? 'stripeApiKey'
    : to === 'openmeter'
      ? 'openmeterApiKey'
      : 'lagoApiKey';
}

function optionalKey(key: string | undefined): { apiKey?: string } {
  return key === undefined ? {} : { apiKey: key };
}

/** `--customers` or `--customer-prefix` (not for Stripe: its ids are Stripe's own). */
function customersOf(flags: ExportFlags): CustomerMap {
  if (flags.customers !== undefined && flags.customerPrefix !== undefined)
    throw new ExportError('give --customers or --customer-prefix, not both');
  if (flags.customers !== undefined) return loadCustomerTable(flags.customers);
  if (flags.customerPrefix !== undefined && flags.to !== 'stripe')
    return { kind: 'prefix', prefix: flags.customerPrefix };
  throw new ExportError(
    flags.to === 'stripe'
      ? '--to stripe needs --customers <file> mapping each tenant or user id to its Stripe customer id (cus_...)'
      : `--to ${flags.to} needs --customers <file> or --customer-prefix <prefix> ("" to send ledger ids as they are)`,
  );
}

function incomplete(report: ExportUsageReport): boolean {
  return (
    report.stalePending.length > 0 ||
    report.skipped.some(s => s.reason !== 'no_customer')
  );
}

function print(report: ExportUsageReport, format: 'text' | 'json'): void {
  if (format === 'json') {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const lines: string[] = [];
  for (const event of report.events) {
    if (event.request !== undefined) {
      lines.push(`${event.request.method} ${event.request.url}`);
      for (const [name, value] of Object.entries(event.request.headers))
        lines.push(`${name}: ${value}`);
      lines.push('', event.request.body, '');
    }
  }
  const total = report.events.reduce((sum, e) => sum + e.costNanoUsd, 0);
  const verb = report.dryRun ? 'would send' : 'sent';
  lines.push(
    `${report.to} (${report.destination}, meter ${report.meter}, by ${report.by}): ${verb} ${report.events.length} event(s), $${usdOfNanoUsd(total)}; ${report.upToDate} customer-day(s) already delivered; ${report.days.length} day(s) read`,
  );
  if (report.openDays.length > 0)
    lines.push(
      `left for a later run: ${report.openDays.length} day(s) not ended yet (from ${report.openDays[0]})`,
    );
  for (const skip of report.skipped)
    lines.push(
      `skipped ${report.by} ${skip.customer ?? '(none)'} ${skip.day}: ${skip.reason} ($${usdOfNanoUsd(skip.costNanoUsd)}, ${skip.calls} calls)`,
    );
  const unpriced = report.unpriced.reduce((sum, u) => sum + u.unpricedCalls, 0);
  if (unpriced > 0)
    lines.push(
      `not exported: ${unpriced} unpriced call(s) (see otel-genai-cost prices unknown)`,
    );
  for (const stale of report.stalePending)
    lines.push(
      `pending past the vendor's dedupe window, not re-sent: ${stale.key} (${stale.customer} ${stale.day}); check the vendor, then --resend-stale-pending`,
    );
  if (report.failure !== undefined) lines.push(`stopped: ${report.failure}`);
  // Ids come from spans: a control character would steer the terminal.
  console.log(lines.map(printable).join('\n'));
}
