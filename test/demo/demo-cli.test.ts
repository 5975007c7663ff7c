/**
 * `npm run demo` (examples/demo/main.ts) end to end, in-process: the real AI
 * SDK v7 and the real openai client against the demo's fake server, priced by
 * CostSpanProcessor into a SQLite cost ledger; the tables come from the
 * ledger (and equal the spans' totals), the printed `report` command works on
 * it (the built CLI), the HTML page is written, /metrics is served while it
 * runs, and spans go out over OTLP when the env says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../examples/demo/demo-options.js';
import { run } from '../../examples/demo/main.js';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../helpers/otlp-receiver.js';

const ARGS = [
  '--calls',
  '120',
  '--rate',
  '400',
  '--seed',
  '3',
  '--users',
  '40',
  '--tenants',
  '8',
  '--metrics-port',
  '0',
];

const CLI = join(import.meta.dirname, '../../dist/esm/cli/main.js');

/** Report lines without the wall-clock "last seen" column and the temp paths. */
function withoutTimes(report: string): string {
  return report
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'yyyy-mm-dd hh:mm:ss')
    .replace(/^(Ledger|Report|Page):.*$/gm, '$1: ...');
}

let receiver: OtlpReceiver;
let dir: string;
let ledgers = 0;
/** A fresh ledger file per run (a file given again adds up across runs). */
const ledgerArgs = () => ['--ledger', join(dir, `ledger-${(ledgers += 1)}.db`)];
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  dir = mkdtempSync(join(tmpdir(), 'demo-cli-'));
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo CLI', () => {
  it('prints per-user and per-tenant tables from the ledger, equal to the spans’ totals; serves /metrics, exports over OTLP', async () => {
    const lines: string[] = [];
    let scrape: Promise<string> | undefined;
    const print = (line: string) => {
      lines.push(line);
      const url = /^Prometheus metrics: (http:\/\/\S+)$/.exec(line)?.[1];
      if (url !== undefined)
        scrape = fetch(url).then(response => response.text());
    };
    const args = ledgerArgs();
    const result = await run([...ARGS, ...args], print, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.origin}/`,
    });

    expect(result.traffic).toMatchObject({ calls: 120, failed: 0 });
    expect(lines).toContain(
      `Exporting spans over OTLP to ${receiver.origin}/v1/traces`,
    );
    expect(await scrape).toContain('# TYPE gen_ai_client_cost_total counter');

    const report = result.report;
    expect(report).toMatch(
      /^Per user \(from the cost ledger; top 15 of \d+ by spend\)$/m,
    );
    expect(report).toMatch(
      /^user\s+tenant\s+spend\s+calls\s+unpriced\s+input tokens\s+output tokens\s+last seen \(UTC\)\s+top model$/m,
    );
    expect(report).toMatch(
      /^tenant\s+spend\s+calls\s+unpriced\s+input tokens\s+output tokens\s+last seen \(UTC\)\s+top model$/m,
    );
    const total = /^Total: \$([0-9.]+) over 120 LLM calls/m.exec(report);
    expect(total).not.toBeNull();
    // The ledger holds every call once, and its totals are the spans' to
    // the micro-dollar (gen_ai.usage.cost on each exported span).
    const { ledgerReport, spanTotals } = result;
    expect(ledgerReport.calls).toBe(120);
    expect(ledgerReport.calls).toBe(spanTotals.calls);
    expect(ledgerReport.unpricedCalls).toBe(spanTotals.unpricedCalls);
    expect(Math.abs(ledgerReport.totalUsd - spanTotals.costUsd)).toBeLessThan(
      1e-6,
    );
    expect(ledgerReport.tenants).toHaveLength(8);
    expect(ledgerReport.users.reduce((sum, user) => sum + user.calls, 0)).toBe(
      120,
    );

    // The printed pointers: the ledger file, a report command that works on it, the page.
    const path = args[1] as string;
    expect(lines).toContain(`Cost ledger: ${path}`);
    expect(report.split('\n')).toContain(`Ledger: ${path}`);
    const command =
      /^Report: npx otel-genai-cost (report --ledger \S+ --by user)$/m.exec(
        report,
      )?.[1];
    expect(command).toBe(`report --ledger sqlite:${path} --by user`);
    const json = JSON.parse(
      execFileSync(
        process.execPath,
        [
          CLI,
          ...(command as string).split(' '),
          '--by',
          'tenant',
          '--format',
          'json',
        ],
        { encoding: 'utf8' },
      ),
    ) as { spendUsd: number; calls: number }[];
    expect(json.reduce((sum, row) => sum + row.calls, 0)).toBe(120);
    expect(
      Math.abs(
        json.reduce((sum, row) => sum + row.spendUsd, 0) - spanTotals.costUsd,
      ),
    ).toBeLessThan(1e-6);
    const page = /^Page:\s+(\S+)$/m.exec(report)?.[1] as string;
    expect(page).toBe(join(dir, 'demo-report.html'));
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain('<svg id="daily-chart"');

    // Every priced span went out over OTLP, with its cost and user.
    const spans = receiver.received
      .filter(request => request.path === '/v1/traces')
      .flatMap(
        request =>
          decodeExportTraceRequest(new Uint8Array(request.body), 'protobuf')
            .resourceSpans,
      )
      .flatMap(resource => resource.scopeSpans.flatMap(scope => scope.spans));
    const llmCalls = spans.filter(span =>
      span.attributes.some(kv => kv.key === 'gen_ai.cost.source'),
    );
    expect(llmCalls).toHaveLength(120);
    for (const span of llmCalls) {
      expect(
        span.attributes.find(kv => kv.key === 'user.id')?.value?.stringValue,
      ).toMatch(/^user-\d{4}$/);
    }
  });

  it('the same seed gives the same traffic and the same tables', async () => {
    const first = await run([...ARGS, ...ledgerArgs()], () => {}, {});
    const second = await run([...ARGS, ...ledgerArgs()], () => {}, {});
    expect(withoutTimes(second.report)).toBe(withoutTimes(first.report));
    const other = await run(
      [...ARGS.slice(0, 4), '--seed', '4', ...ARGS.slice(6), ...ledgerArgs()],
      () => {},
      {},
    );
    expect(withoutTimes(other.report)).not.toBe(withoutTimes(first.report));
  });

  it('rejects bad options with a clear message', async () => {
    await expect(run(['--users', 'many'], () => {}, {})).rejects.toThrow(
      /option '-u, --users <count>' argument 'many' is invalid\. expected an integer >= 1, got "many"/,
    );
    await expect(run(['--bogus'], () => {}, {})).rejects.toThrow(
      /unknown option '--bogus'/,
    );
  });

  it('defaults: a ~10 second run, 200 users, 12 tenants, /metrics on 9464 unless the env says otherwise', () => {
    expect(parseDemoArgs([], {})).toMatchObject({
      durationSeconds: 10,
      users: 200,
      tenants: 12,
      metricsHost: '127.0.0.1',
      metricsPort: 9464,
      ledgerPath: undefined, // a new file in a temp folder each run
    });
    expect(parseDemoArgs(['--ledger', './demo-ledger.db'], {}).ledgerPath).toBe(
      './demo-ledger.db',
    );
    expect(
      parseDemoArgs([], {
        OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9100',
      }),
    ).toMatchObject({ metricsHost: '0.0.0.0', metricsPort: 9100 });
    expect(parseDemoArgs(['-d', '0'], {}).durationSeconds).toBe(0);
  });
});
