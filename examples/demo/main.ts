/**
 * `npm run demo`: simulated LLM traffic from many users across tenants and
 * plans, through the real AI SDK and the real openai client (against an
 * in-process fake server), priced by CostSpanProcessor. No API key, no
 * network. Every call lands once in a SQLite cost ledger; at the end it
 * prints per-user and per-tenant spend read back from the ledger, writes the
 * HTML report page, and names the `otel-genai-cost report` command for more.
 * Serves Prometheus /metrics while it runs, and exports spans over OTLP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set.
 *
 *   npm run demo -- --duration 20 --users 500 --tenants 30 --seed 7
 *   npm run demo -- --ledger ./demo-ledger.db   # keep the ledger here
 */
import { pathToFileURL } from 'node:url';
import { createDemo, type TrafficResult } from './demo.js';
import { parseDemoArgs } from './demo-options.js';
import { reportFromLedger, type LedgerReport } from './report.js';
import type { Totals } from './span-ledger.js';

export interface DemoRun {
  readonly traffic: TrafficResult;
  /** The printed tables and pointers. */
  readonly report: string;
  /** What they were made of (rows from the ledger). */
  readonly ledgerReport: LedgerReport;
  /** The same calls totalled from the exported spans' attributes (a cross-check). */
  readonly spanTotals: Totals;
}

/** Runs the demo with command-line arguments; `print` receives every line. */
export async function run(
  argv: readonly string[] = process.argv.slice(2),
  print: (line: string) => void = line => console.log(line),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<DemoRun> {
  const options = parseDemoArgs(argv, env);
  const demo = await createDemo(options);
  const stop = () => demo.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    print(`Prometheus metrics: ${demo.metricsUrl}`);
    print(`Cost ledger: ${demo.telemetry.ledgerPath}`);
    if (demo.telemetry.otlpEndpoint !== undefined) {
      print(`Exporting spans over OTLP to ${demo.telemetry.otlpEndpoint}`);
    }
    print(
      `Simulating ${options.users} users in ${options.tenants} tenants (seed ${options.seed}) ` +
        (options.durationSeconds > 0
          ? `for ${options.durationSeconds}s`
          : 'until Ctrl-C') +
        ` at up to ${options.rate} calls/s...`,
    );
    const traffic = await demo.run();
    const ledgerReport = await reportFromLedger(
      demo.telemetry.ledger,
      demo.telemetry.ledgerPath,
      { topUsers: options.topUsers },
    );
    print('');
    print(ledgerReport.text);
    if (traffic.failed > 0) print(`${traffic.failed} calls failed.`);
    return {
      traffic,
      report: ledgerReport.text,
      ledgerReport,
      spanTotals: { ...demo.telemetry.spanTotals.totals },
    };
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await demo.shutdown();
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  run().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
