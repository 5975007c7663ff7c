import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedCost, GPT_4O_MINI } from '../helpers/prices.js';
import { runCli } from './run-cli.js';

describe('otel-genai-cost price', () => {
  it('prints the cost of a call from published prices, as JSON', async () => {
    const result = await runCli([
      'price',
      '--provider',
      'openai',
      '--model',
      'gpt-4o-mini',
      '--input',
      '1000',
      '--cache-read',
      '400',
      '--output',
      '200',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      cost: { totalUsd: number; cacheReadUsd: number };
    };
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 600,
      cacheRead: 400,
      output: 200,
    });
    expect(printed.cost.totalUsd).toBeCloseTo(expected.total, 12);
    expect(printed.cost.cacheReadUsd).toBeCloseTo(expected.cacheRead, 12);
  });

  it('prints a readable line by default', async () => {
    const result = await runCli([
      'price',
      '--provider',
      'openai',
      '--model',
      'gpt-4o-mini',
      '--input',
      '1000000',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('openai gpt-4o-mini: $0.150000 USD');
  });

  it('exits 1 with a message for a model it has no price for', async () => {
    const result = await runCli([
      'price',
      '--model',
      'gpt-unreleased-9',
      '--input',
      '10',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'gpt-unreleased-9: no price (unknown_model)',
    );
  });

  it('a computed cost above the per-call cap is no price (cost_above_cap), exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'price-cap-'));
    const file = join(dir, 'prices.json');
    // $1,000,000 per million input tokens: 2M tokens would cost $2M.
    writeFileSync(
      file,
      JSON.stringify([
        {
          model: 'absurd-model',
          inputPerMTokUsd: 1_000_000,
          outputPerMTokUsd: 0,
        },
      ]),
    );
    try {
      const result = await runCli([
        'price',
        '--model',
        'absurd-model',
        '--input',
        '2000000',
        '--price-overrides-file',
        file,
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('no price (cost_above_cap)');
      expect(result.stdout).not.toContain('2000000.000000');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      ['--model', 'gpt-4o', '--input', 'lots'],
      "option '--input <tokens>' argument 'lots' is invalid. expected a whole number of tokens from 0 to 1000000000, in decimal digits only",
    ],
    // Issue 9, case 6e: the token-count rule of span attributes applies.
    ...['0x10', '1e20', '-5', '12.5', 'Infinity', ' 12', '1000000001'].map(
      raw => [
        ['--model', 'gpt-4o', `--input=${raw}`],
        `option '--input <tokens>' argument '${raw}' is invalid. expected a whole number of tokens from 0 to 1000000000`,
      ],
    ),
    [
      ['--model', 'gpt-4o', '--output', '0x10'],
      "option '--output <tokens>' argument '0x10' is invalid",
    ],
    [['--input', '10'], "required option '--model <id>' not specified"],
    [
      ['--model', 'gpt-4o', '--input', '10', '--cache-read', '20'],
      '--cache-read plus --cache-write cannot exceed --input',
    ],
    [
      ['--model', 'gpt-4o', '--prices', '/nonexistent/prices.yaml'],
      'cannot read price overrides file /nonexistent/prices.yaml',
    ],
  ])(
    'rejects bad flags %j with a message and a non-zero exit',
    async (args, message) => {
      const result = await runCli(['price', ...args]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(message);
    },
  );
});
