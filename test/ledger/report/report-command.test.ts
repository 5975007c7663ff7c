/**
 * `otel-genai-cost report` end to end (the built CLI, dist/esm/cli/main.js:
 * `npm run build` first) on a SQLite ledger holding the calls of report-cases.ts (money from published
 * prices): json, csv, table and html output, filters, and one-line errors
 * with exit status 2.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLS } from './report-cases.js';
import { sqliteWith, type TempStore } from './report-fixture.js';

const MAIN = join(import.meta.dirname, '../../../dist/esm/cli/main.js');

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI with an environment free of OTEL_* settings. */
function runCli(
  args: readonly string[],
  extra: Record<string, string> = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) env[key] = value;
  }
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { ...env, ...extra }, timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : (error.code as number | null),
          stdout,
          stderr,
        }),
    );
  });
}

let t: TempStore;
let ledger: string;
beforeAll(async () => {
  t = await sqliteWith(CALLS);
  ledger = `sqlite:${t.path}`;
}, 60_000);
afterAll(() => t.remove());

const report = (...args: string[]) =>
  runCli(['report', '--ledger', ledger, ...args]);

describe('otel-genai-cost report', () => {
  it('--format json prints the rows; --tenant, --tag (repeatable), --since/--until and --top filter', async () => {
    const [all, tenant, tags, range, top] = await Promise.all([
      report('--by', 'user', '--format', 'json'),
      report('--by', 'user', '--tenant', 't-a', '--format', 'json'),
      report(
        '--by',
        'tenant',
        '--tag',
        'region=eu',
        '--tag',
        'feature=chat',
        '--format',
        'json',
      ),
      report(
        '--by',
        'day',
        '--since',
        '2026-11-02',
        '--until',
        '2026-11-03',
        '--format',
        'json',
      ),
      report('--by', 'user', '--top', '1', '--format', 'json'),
    ]);
    for (const r of [all, tenant, tags, range, top]) expect(r.stderr).toBe('');
    const rows = JSON.parse(all.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(6);
    // u-1: gpt-4o 1000/500 ($0.0075) + gpt-4o-mini 10,000/2,000 ($0.0027).
    expect(rows[2]).toEqual({
      key: 'u-1',
      tenant: 't-a',
      spendUsd: 0.0102,
      calls: 2,
      unpricedCalls: 0,
      inputTokens: 11_000,
      outputTokens: 2500,
      lastSeen: '2026-11-01T23:59:59.999Z',
      topModel: 'gpt-4o',
    });
    const keys = (text: string) =>
      (JSON.parse(text) as { key: string | null }[]).map(r => r.key);
    expect(keys(tenant.stdout)).toEqual(['u-2', 'u-1']);
    expect(keys(tags.stdout)).toEqual(['t-a', 't-b']);
    // --until with a date includes that day (UTC).
    expect(keys(range.stdout)).toEqual(['2026-11-02', '2026-11-03']);
    expect(keys(top.stdout)).toEqual(['u-4']);
  });

  it('--format csv, the default table, and --format html --out (a file, its path on stderr)', async () => {
    const out = join(t.dir, 'report.html');
    const [csv, table, html] = await Promise.all([
      report('--by', 'tenant', '--format', 'csv'),
      report('--tenant', 't-b'),
      report('--format', 'html', '--out', out),
    ]);
    expect(csv.stdout.split('\r\n')).toEqual([
      'key,tenant,spendUsd,calls,unpricedCalls,inputTokens,outputTokens,lastSeen,topModel',
      't-c,t-c,0.35,1,0,100000,10000,2026-11-04T00:00:00.000Z,gpt-4o',
      't-a,t-a,0.0207,3,0,13000,2800,2026-11-02T00:00:00.000Z,claude-sonnet-4-5',
      ',,0.0000125,1,0,1,1,2026-11-03T11:00:00.000Z,gpt-4o',
      't-b,t-b,0.00000435,2,1,117,13,2026-11-03T10:00:00.000Z,gpt-4o-mini',
      '',
    ]);
    expect(table.stdout.split('\n').slice(0, 4)).toEqual([
      'user  tenant      spend  calls  unpriced  input tokens  output tokens  last seen (UTC)      top model',
      '----  ------  ---------  -----  --------  ------------  -------------  -------------------  -----------',
      'u-3   t-b     $0.000004      1         0            17              3  2026-11-03 10:00:00  gpt-4o-mini',
      'u-2   t-b     $0.000000      1         1           100             10  2026-11-02 10:00:00  acme-llm-1',
    ]);
    expect(html.stdout).toBe('');
    expect(html.stderr).toBe(`wrote ${out}\n`);
    expect(existsSync(out)).toBe(true);
    // $0.35 + $0.0207 + $0.0000125 + $0.00000435
    expect(readFileSync(out, 'utf8')).toContain(
      '<b id="total-spend">$0.370717</b>',
    );
    // Without --top, the page's table stops at 1,000 rows (and says so).
    expect(readFileSync(out, 'utf8')).toMatch(
      /class="meta">[^<]* · top 1000 · /,
    );
  });

  it('--help exits 0 and names every flag', async () => {
    const help = await runCli(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const flag of [
      '--ledger <url>',
      '--by <group>',
      '--since <date|7d>',
      '--until <date>',
      '--tenant <id>',
      '--user <id>',
      '--tag <key=value>',
      '--top <n>',
      '--format <format>',
      '--out <file>',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('reads OTEL_GENAI_COST_LEDGER when --ledger is absent', async () => {
    const result = await runCli(
      ['report', '--by', 'model', '--format', 'json'],
      {
        OTEL_GENAI_COST_LEDGER: ledger,
      },
    );
    expect((JSON.parse(result.stdout) as unknown[]).length).toBe(4);
  });

  it('bad input: one line on stderr, exit status 2; a database URL is never echoed', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--ledger', `sqlite:${join(t.dir, 'missing.db')}`],
        /^error: no SQLite ledger at .*missing\.db \(the file does not exist\)$/,
      ],
      [
        ['--ledger', ledger, '--by', 'week'],
        /^error: option '--by <group>' argument 'week' is invalid\. Allowed choices are user, tenant, model, plan, feature, day\.$/,
      ],
      [
        ['--ledger', ledger, '--since', 'last week'],
        /^error: --since: expected a date/,
      ],
      [
        ['--ledger', ledger, '--since', '2026-11-05', '--until', '2026-11-01'],
        /^error: --since must be before --until$/,
      ],
      [
        ['--ledger', ledger, '--top', '-1'],
        /^error: option '--top <n>' argument '-1' is invalid/,
      ],
      [
        ['--ledger', ledger, '--tag', 'region'],
        /^error: --tag: expected key=value/,
      ],
      [
        ['--ledger', ledger, '--tag', 'a=1', '--tag', 'a=2'],
        /^error: --tag: "a" given twice$/,
      ],
      [
        ['--ledger', ledger, '--format', 'xml'],
        /^error: option '--format <format>' argument 'xml' is invalid/,
      ],
      [['--ledger', ledger, '--bogus'], /^error: unknown option '--bogus'$/],
      [[], /^error: --ledger <url> or OTEL_GENAI_COST_LEDGER is required$/],
      [
        ['--ledger', 'mysql://u:s3cret@db/x'],
        /^error: unsupported scheme mysql:/,
      ],
    ];
    const results = await Promise.all(
      cases.map(([args]) => runCli(['report', ...args])),
    );
    results.forEach((result, i) => {
      const [args, message] = cases[i] as [string[], RegExp];
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(
        1,
      );
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stderr).not.toContain('s3cret');
    });
  });
});
