import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import {
  InvalidArgumentError,
  type Command,
  type CommanderError,
} from 'commander';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import { PRICE_OVERRIDES_FILE_SETTING } from '../config/processor-settings.js';
import { resolveSettings } from '../config/resolve-settings.js';
import { normalizeProvider } from '../core/normalize/normalize-provider.js';
import { diffPriceData, type PriceDataDiff } from './prices/diff-price-data.js';
import { listPrices, type PriceRow } from './prices/list-prices.js';
import {
  PRICE_DATA_TIMEOUT_MS,
  PriceDataError,
  readPriceData,
} from './prices/read-price-data.js';
import { addSettingFlags, withDeprecatedFlags } from './setting-flags.js';
import type { AnySetting } from './settings-table.js';

const FILE = PRICE_OVERRIDES_FILE_SETTING as unknown as AnySetting;

interface ListFlags {
  readonly provider?: string;
  readonly model?: string;
  readonly json?: boolean;
}

interface DiffFlags {
  readonly against: string;
  readonly timeout: number;
  readonly json?: boolean;
}

/** Exit 2 for bad usage (unknown or invalid flags), else commander's code. */
function usageExitCode(error: CommanderError): never {
  const usage = error.code !== 'commander.error' && error.exitCode === 1;
  process.exit(usage ? 2 : error.exitCode);
}

function positiveMs(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 600_000)
    throw new InvalidArgumentError('expected milliseconds from 1 to 600000');
  return value;
}

/** `otel-genai-cost prices list|diff`: where prices come from, and how fresh they are. */
export function registerPricesCommand(program: Command): void {
  const prices = program
    .command('prices')
    .description(
      'inspect the price layers: overrides, corrections, genai-prices',
    );
  const list = prices
    .command('list')
    .exitOverride(usageExitCode)
    .description(
      'effective prices for a provider or model, and the layer of each',
    )
    .option('--provider <name>', 'GenAI provider name: openai, deepseek, ...')
    .option('--model <id>', 'model id, e.g. deepseek-chat')
    .option('--json', 'print JSON');
  addSettingFlags(list, [FILE]);
  list.action((flags: ListFlags, command: Command) => {
    if (flags.provider === undefined && flags.model === undefined) {
      command.error('error: give --provider, --model or both', { exitCode: 2 });
    }
    const file = overridesFile(flags, command);
    const overrides = file === undefined ? [] : load(file, command);
    const provider = normalizeProvider(flags.provider);
    const rows = listPrices(
      {
        ...(provider === undefined ? {} : { provider }),
        ...(flags.model === undefined ? {} : { model: flags.model }),
      },
      overrides,
      file,
    );
    if (flags.json === true) console.log(JSON.stringify(rows, null, 2));
    else console.log(describeRows(rows));
    if (rows.length === 0) process.exitCode = 1;
  });
  prices
    .command('diff')
    .exitOverride(usageExitCode)
    .description(
      'compare a genai-prices data file or URL with the installed data and the corrections',
    )
    .requiredOption(
      '--against <file-or-url>',
      'genai-prices data.json (path or http(s) URL)',
    )
    .option(
      '--timeout <ms>',
      'how long a URL may take',
      positiveMs,
      PRICE_DATA_TIMEOUT_MS,
    )
    .option('--json', 'print JSON')
    .action(async (flags: DiffFlags, command: Command) => {
      let diff: PriceDataDiff;
      try {
        diff = diffPriceData(await readPriceData(flags.against, flags.timeout));
      } catch (error) {
        const message =
          error instanceof PriceDataError
            ? error.message
            : `${flags.against} cannot be priced by genai-prices (${(error as Error).message})`;
        return command.error(`error: ${message}`, { exitCode: 1 });
      }
      if (flags.json === true) console.log(JSON.stringify(diff, null, 2));
      else console.log(describeDiff(diff));
    });
}

function overridesFile(flags: ListFlags, command: Command): string | undefined {
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  try {
    return resolveSettings([FILE], {
      options: withDeprecatedFlags(flags, [FILE]),
      env: process.env,
      onInvalid: { kind: 'fail', error: message => new Error(message) },
    }).priceOverridesFile as string | undefined;
  } catch (error) {
    return command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
  }
}

function load(file: string, command: Command) {
  try {
    return loadPriceOverrides(file);
  } catch (error) {
    return command.error(`error: ${(error as Error).message}`, { exitCode: 1 });
  }
}

function describeRows(rows: readonly PriceRow[]): string {
  if (rows.length === 0)
    return 'no price in any layer; add a price override (--price-overrides-file)';
  return rows
    .map(
      row =>
        `${row.layer} ${row.provider} ${row.model} [${row.origin}]\n  ${JSON.stringify(row.prices)}`,
    )
    .join('\n');
}

function describeDiff(diff: PriceDataDiff): string {
  const lines = ['corrections:'];
  for (const c of diff.corrections) {
    const what =
      c.status === 'redundant'
        ? 'redundant: the data agrees, remove the correction'
        : c.status === 'conflicting'
          ? `conflicting: re-check ${c.source} (checked ${c.checked}); differs on ${c.conflicts.join('; ')}`
          : 'still needed';
    lines.push(`  ${c.provider} ${c.models.join(', ')}: ${what}`);
  }
  lines.push(`models changed: ${diff.models.length}`);
  for (const m of diff.models)
    lines.push(`  ${m.change} ${m.provider} ${m.model}`);
  return lines.join('\n');
}
