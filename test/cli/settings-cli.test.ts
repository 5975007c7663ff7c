/**
 * Issue 10, item 2, from the command line: `--help` comes from the
 * settings table, the price file has one flag and one variable (old ones
 * still work, with a warning), and bad shared values stop the gateway.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deprecatedNames,
  sharedGatewayEnvironment,
} from '../../src/cli/settings-table.js';
import { GATEWAY_SETTINGS } from '../../src/gateway/gateway-settings.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'settings-cli-'));
const file = join(dir, 'prices.json');
// A house model priced like gpt-4o's published price: $2.50/M in, $10/M out.
writeFileSync(
  file,
  JSON.stringify([
    { model: 'house-model', inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
  ]),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRICE = [
  'price',
  '--model',
  'house-model',
  '--input',
  '1000',
  '--output',
  '100',
  '--json',
];
// 1000 * 2.50/1e6 + 100 * 10/1e6
const TOTAL = 0.0035;

function total(stdout: string): number {
  return (JSON.parse(stdout) as { cost: { totalUsd: number } }).cost.totalUsd;
}

describe('the price overrides file on the command line', () => {
  it.each<[string, string[], Record<string, string>, string | undefined]>([
    ['--price-overrides-file', ['--price-overrides-file', file], {}, undefined],
    [
      'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE',
      [],
      { OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: file },
      undefined,
    ],
    [
      '--prices (old)',
      ['--prices', file],
      {},
      '--prices is deprecated and will be removed; use --price-overrides-file',
    ],
    [
      'OTEL_GENAI_COST_PRICES_FILE (old)',
      [],
      { OTEL_GENAI_COST_PRICES_FILE: file },
      'OTEL_GENAI_COST_PRICES_FILE is deprecated and will be removed; use OTEL_GENAI_COST_PRICE_OVERRIDES_FILE',
    ],
  ])('%s prices the call', async (_name, args, env, warning) => {
    const result = await runCli([...PRICE, ...args], env);
    expect(result.code, result.stderr).toBe(0);
    expect(total(result.stdout)).toBeCloseTo(TOTAL, 12);
    if (warning === undefined)
      expect(result.stderr).not.toContain('deprecated');
    else expect(result.stderr.split(warning)).toHaveLength(2);
  });

  it('the new flag wins over the old one', async () => {
    const result = await runCli([
      ...PRICE,
      '--prices',
      '/nonexistent/old.yaml',
      '--price-overrides-file',
      file,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(total(result.stdout)).toBeCloseTo(TOTAL, 12);
  });
});

describe('otel-genai-cost gateway and the settings table', () => {
  it('--help lists every shared variable, every flag and every old name, from the table', async () => {
    const result = await runCli(['gateway', '--help']);
    const help = result.stdout;
    for (const setting of sharedGatewayEnvironment()) {
      expect(help).toContain(`  ${setting.env}`);
    }
    for (const setting of GATEWAY_SETTINGS) {
      expect(help).toContain(`${setting.flag} <${setting.valueName}>`);
    }
    for (const [old, current] of deprecatedNames(GATEWAY_SETTINGS as never)) {
      if (old.startsWith('option ')) continue;
      expect(help).toMatch(new RegExp(`${old}\\s+now ${current}`));
    }
    // Read only in-process: not listed, not read.
    expect(help).not.toContain('OTEL_GENAI_COST_PROPAGATION');
  });

  it.each([
    [
      { OTEL_LOG_LEVEL: 'chatty' },
      'OTEL_LOG_LEVEL: expected none or error or warn',
    ],
    [
      { OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH: 'long' },
      'OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH: expected an integer at least 1, got "long"',
    ],
    [
      { OTEL_GENAI_COST_METRICS_PLANS: 'pro,other' },
      'OTEL_GENAI_COST_METRICS_PLANS: "other" is not allowed',
    ],
  ])('refuses %j at start, naming the variable', async (env, message) => {
    const result = await runCli(
      [
        'gateway',
        '--forward',
        'http://127.0.0.1:4320/v1/traces',
        '--listen',
        '127.0.0.1:0',
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
