/** The demo's options and its command line (commander). */
import { Command, InvalidArgumentError } from 'commander';

export interface DemoOptions {
  /** Seconds of traffic; 0 runs until stopped (Ctrl-C). */
  readonly durationSeconds: number;
  /** Stop after this many calls (default: no limit). */
  readonly maxCalls: number | undefined;
  readonly users: number;
  readonly tenants: number;
  /** How many of the biggest tenants get their own `tenant` label. */
  readonly namedTenants: number;
  /** Hash buckets for the other tenants. */
  readonly tenantBuckets: number;
  readonly seed: number;
  /** Calls started per second. */
  readonly rate: number;
  /** Calls in flight at most. */
  readonly concurrency: number;
  readonly metricsHost: string;
  /** 0 picks a free port. */
  readonly metricsPort: number;
  /** Rows in the per-user table. */
  readonly topUsers: number;
  readonly serviceName: string;
  /**
   * The SQLite file of the cost ledger (created if missing; rows add up
   * across runs). Default: a new file in a temp folder each run.
   */
  readonly ledgerPath: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  durationSeconds: 10,
  maxCalls: undefined,
  users: 200,
  tenants: 12,
  namedTenants: 5,
  tenantBuckets: 4,
  seed: 42,
  rate: 40,
  concurrency: 8,
  metricsHost: '127.0.0.1',
  metricsPort: 9464,
  topUsers: 15,
  serviceName: 'otel-genai-cost-demo',
  ledgerPath: undefined,
  env: {},
};

function integer(min: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new InvalidArgumentError(
        `expected an integer >= ${min}, got "${raw}"`,
      );
    }
    return value;
  };
}

/** Parses `argv` (without the node and script entries). Throws on bad input. */
export function parseDemoArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DemoOptions {
  const d = DEFAULT_DEMO_OPTIONS;
  const program = new Command('demo')
    .description(
      'Simulated LLM traffic from many users, priced by CostSpanProcessor: no API key, no network.',
    )
    .option(
      '-d, --duration <seconds>',
      'seconds of traffic, 0 = until Ctrl-C',
      integer(0),
      d.durationSeconds,
    )
    .option('-n, --calls <count>', 'stop after this many calls', integer(1))
    .option('-u, --users <count>', 'distinct users', integer(1), d.users)
    .option('-t, --tenants <count>', 'distinct tenants', integer(1), d.tenants)
    .option(
      '--named-tenants <count>',
      'biggest tenants with their own metric label',
      integer(0),
      d.namedTenants,
    )
    .option(
      '--tenant-buckets <count>',
      'hash buckets for the other tenants',
      integer(0),
      d.tenantBuckets,
    )
    .option('-s, --seed <number>', 'random seed', integer(0), d.seed)
    .option(
      '-r, --rate <calls>',
      'calls started per second',
      integer(1),
      d.rate,
    )
    .option(
      '--concurrency <calls>',
      'calls in flight at most',
      integer(1),
      d.concurrency,
    )
    .option(
      '--metrics-host <host>',
      'interface for /metrics (0.0.0.0 in a container)',
      env['OTEL_EXPORTER_PROMETHEUS_HOST'] ?? d.metricsHost,
    )
    .option(
      '-p, --metrics-port <port>',
      '/metrics port, 0 = any free port',
      integer(0),
      env['OTEL_EXPORTER_PROMETHEUS_PORT'] === undefined
        ? d.metricsPort
        : integer(0)(env['OTEL_EXPORTER_PROMETHEUS_PORT']),
    )
    .option(
      '--top-users <count>',
      'rows in the per-user table',
      integer(1),
      d.topUsers,
    )
    .option(
      '--ledger <path>',
      'SQLite file of the cost ledger (default: a new one in a temp folder)',
    )
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{
    duration: number;
    calls?: number;
    users: number;
    tenants: number;
    namedTenants: number;
    tenantBuckets: number;
    seed: number;
    rate: number;
    concurrency: number;
    metricsHost: string;
    metricsPort: number;
    topUsers: number;
    ledger?: string;
  }>();
  return {
    durationSeconds: o.duration,
    maxCalls: o.calls,
    users: o.users,
    tenants: o.tenants,
    namedTenants: Math.min(o.namedTenants, o.tenants),
    tenantBuckets: o.tenantBuckets,
    seed: o.seed,
    rate: o.rate,
    concurrency: o.concurrency,
    metricsHost: o.metricsHost,
    metricsPort: o.metricsPort,
    topUsers: o.topUsers,
    serviceName: env['OTEL_SERVICE_NAME'] ?? d.serviceName,
    ledgerPath: o.ledger,
    env,
  };
}
