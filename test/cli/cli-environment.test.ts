/**
 * Review of issue 10, findings 4, 8 and 12, from the command line: a flag,
 * deprecated or not, wins over every variable; a blank variable means
 * unset, as in-process; a bad entry in the overrides file is a message,
 * not a stack trace.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-environment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pricesFile(name: string, entries: readonly object[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(entries));
  return path;
}

// gpt-4o at its published price ($2.50/M input, $10/M output), and a
// deliberately different one.
const PUBLISHED = pricesFile('published.json', [
  { model: 'gpt-4o', inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
]);
const OTHER = pricesFile('other.json', [
  { model: 'gpt-4o', inputPerMTokUsd: 100, outputPerMTokUsd: 100 },
]);
const CALL = [
  'price',
  '--model',
  'gpt-4o',
  '--input',
  '1000',
  '--output',
  '100',
];
const CALL_USD = (1000 * 2.5 + 100 * 10) / 1e6;

async function priced(
  args: readonly string[],
  env: Record<string, string>,
): Promise<number> {
  const result = await runCli([...CALL, ...args, '--json'], env);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { cost: { totalUsd: number } }).cost
    .totalUsd;
}

describe('the command line reads variables as the library does', () => {
  it.each([
    ['--prices', 'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE'],
    ['--prices', 'OTEL_GENAI_COST_PRICES_FILE'],
    ['--price-overrides-file', 'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE'],
  ])(
    'finding 4: the flag %s wins over %s',
    async (flag, variable) => {
      expect(
        await priced([flag, PUBLISHED], { [variable]: OTHER }),
      ).toBeCloseTo(CALL_USD, 12);
    },
    30_000,
  );

  it('finding 8: a blank variable is unset (the bundled table prices the call)', async () => {
    // The bundled table holds gpt-4o at the published price too.
    expect(
      await priced([], { OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: '' }),
    ).toBeCloseTo(CALL_USD, 12);
    expect(
      await priced([], { OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: '  ' }),
    ).toBeCloseTo(CALL_USD, 12);
  }, 30_000);

  it('finding 12: a bad entry in the overrides file is one message naming the file and the entry', async () => {
    const bad = pricesFile('bad.json', [
      { model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 1 },
    ]);
    const result = await runCli([...CALL, '--price-overrides-file', bad]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`error: ${bad}: price override #1 (x)`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  it('finding 8: the gateway starts with blank variables for settings that have a flag', async () => {
    const child = startCli(
      [
        'gateway',
        '--listen',
        '127.0.0.1:0',
        '--forward',
        'http://127.0.0.1:9/v1/traces',
      ],
      {
        OTEL_GENAI_COST_GATEWAY_MAX_BODY_BYTES: '',
        OTEL_GENAI_COST_GATEWAY_TRACE_WINDOW_SECONDS: ' ',
        OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: '',
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 20_000;
      while (!/receiving on/.test(output) && Date.now() < deadline) {
        if (child.exitCode !== null) break;
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(output).toContain('receiving on');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'close');
    }
  }, 30_000);
});
