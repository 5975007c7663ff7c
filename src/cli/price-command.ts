import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { InvalidArgumentError, type Command } from 'commander';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import { PRICE_OVERRIDES_FILE_SETTING } from '../config/processor-settings.js';
import { resolveSettings } from '../config/resolve-settings.js';
import type { TokenUsage } from '../core/llm-call.js';
import { normalizeProvider } from '../core/normalize/normalize-provider.js';
import {
  MAX_TOKEN_COUNT,
  parseTokenCount,
} from '../core/normalize/token-count.js';
import type { CostResult } from '../core/price/cost-result.js';
import { MAX_CALL_COST_USD } from '../core/price/max-call-cost.js';
import type { PriceOverride } from '../core/price/price-override.js';
import { createPricer } from '../core/price/pricer.js';
import { addSettingFlags, withDeprecatedFlags } from './setting-flags.js';
import type { AnySetting } from './settings-table.js';

const FILE = PRICE_OVERRIDES_FILE_SETTING as unknown as AnySetting;

interface PriceFlags {
  readonly provider?: string;
  readonly model: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly reasoning: number;
  readonly at?: number;
  readonly priceOverridesFile?: string;
  readonly json?: boolean;
}

/** The same rule as for span attributes (`parseTokenCount`). */
function tokenCount(raw: string): number {
  const value = parseTokenCount(raw);
  if (typeof value !== 'number') {
    throw new InvalidArgumentError(
      `expected a whole number of tokens from 0 to ${MAX_TOKEN_COUNT}, in decimal digits only`,
    );
  }
  return value;
}

function date(raw: string): number {
  const value = Date.parse(raw);
  if (Number.isNaN(value))
    throw new InvalidArgumentError('expected a date such as 2026-01-31');
  return value;
}

/** `otel-genai-cost price`: what one call costs, from the bundled table and your overrides. */
export function registerPriceCommand(program: Command): void {
  const command = program
    .command('price')
    .description(
      'print what one LLM call costs (bundled @pydantic/genai-prices table and your overrides)',
    )
    .option(
      '--provider <name>',
      'GenAI provider name: openai, anthropic, aws.bedrock, gcp.vertex_ai, ...',
    )
    .requiredOption('--model <id>', 'model id, e.g. gpt-4o')
    .option(
      '--input <tokens>',
      'input tokens, cached ones included',
      tokenCount,
      0,
    )
    .option(
      '--output <tokens>',
      'output tokens, reasoning included',
      tokenCount,
      0,
    )
    .option(
      '--cache-read <tokens>',
      'of the input tokens, those read from the cache',
      tokenCount,
      0,
    )
    .option(
      '--cache-write <tokens>',
      'of the input tokens, those written to the cache',
      tokenCount,
      0,
    )
    .option(
      '--reasoning <tokens>',
      'of the output tokens, the reasoning ones',
      tokenCount,
      0,
    )
    .option('--at <date>', 'price as of this date (default: now)', date)
    .option('--json', 'print JSON');
  addSettingFlags(command, [FILE]);
  command.action((flags: PriceFlags, command: Command) => {
    if (flags.cacheRead + flags.cacheWrite > flags.input) {
      command.error(
        'error: --cache-read plus --cache-write cannot exceed --input (input includes cached tokens)',
      );
    }
    if (flags.reasoning > flags.output) {
      command.error(
        'error: --reasoning cannot exceed --output (output includes reasoning tokens)',
      );
    }
    const overrides = readOverrides(flags, command);
    const provider = normalizeProvider(flags.provider);
    const usage: TokenUsage = {
      inputTokens: flags.input,
      outputTokens: flags.output,
      cacheReadTokens: flags.cacheRead,
      cacheWriteTokens: flags.cacheWrite,
      reasoningTokens: flags.reasoning,
    };
    const cost = createPricer({ overrides }).price({
      provider,
      model: flags.model,
      usage,
      timestamp: flags.at ?? Date.now(),
    });
    const label = `${provider ?? '(any provider)'} ${flags.model}`;
    if (flags.json === true) {
      console.log(
        JSON.stringify(
          { provider: provider ?? null, model: flags.model, usage, cost },
          null,
          2,
        ),
      );
    } else {
      console.log(describe(label, cost));
    }
    if (!cost.priced) process.exitCode = 1;
  });
}

/** `--price-overrides-file`, its variable, or their old names (warned once). */
function readOverrides(flags: PriceFlags, command: Command): PriceOverride[] {
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  try {
    const file = resolveSettings([FILE], {
      options: withDeprecatedFlags(flags, [FILE]),
      env: process.env,
      onInvalid: { kind: 'fail', error: message => new Error(message) },
    }).priceOverridesFile as string | undefined;
    return file === undefined ? [] : loadPriceOverrides(file);
  } catch (error) {
    return command.error(`error: ${(error as Error).message}`);
  }
}

function usd(value: number | undefined): string {
  return `$${(value ?? 0).toFixed(6)}`;
}

function describe(label: string, cost: CostResult): string {
  if (!cost.priced) {
    const hint =
      cost.reason === 'cost_above_cap'
        ? `the cost exceeds the per-call cap of $${MAX_CALL_COST_USD}; check your price overrides`
        : 'add a price override (--price-overrides-file) if the model is real';
    return `${label}: no price (${cost.reason}); ${hint}`;
  }
  if (cost.source === 'provider')
    return `${label}: ${usd(cost.totalUsd)} (reported)`;
  return (
    `${label}: ${usd(cost.totalUsd)} USD\n` +
    `  input ${usd(cost.inputUsd)}, output ${usd(cost.outputUsd)}, ` +
    `cache read ${usd(cost.cacheReadUsd)}, cache write ${usd(cost.cacheWriteUsd)}\n` +
    `  source: ${cost.source} (${cost.priceVersion})`
  );
}
