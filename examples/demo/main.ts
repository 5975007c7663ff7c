/**
 * `npm run demo`: simulated LLM traffic from many users across tenants and
 * plans, through the real AI SDK and the real openai client (against an
 * in-process fake server), priced by CostSpanProcessor. No API key, no
 * network. Prints per-user and per-tenant spend computed from the spans,
 * serves Prometheus /metrics while it runs, and exports spans over OTLP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set.
 *
 *   npm run demo -- --duration 20 --users 500 --tenants 30 --seed 7
 */
import { pathToFileURL } from 'node:url';
import { createDemo, type TrafficResult } from './demo.js';
import { parseDemoArgs } from './demo-options.js';
import { formatReport } from './report.js';

export interface DemoRun {
  readonly traffic: TrafficResult;
  /** The printed tables. */
  readonly report: string;
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
    const report = formatReport(demo.telemetry.ledger, {
      topUsers: options.topUsers,
    });
    print('');
    print(report);
    if (traffic.failed > 0) print(`${traffic.failed} calls failed.`);
    return { traffic, report };
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
