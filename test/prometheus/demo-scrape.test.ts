/**
 * A real Prometheus scrapes the demo's /metrics every second while the
 * demo's traffic generator runs in-process (fixed seed, 400 calls), then the
 * PromQL cookbook in docs/metrics.md runs against Prometheus's HTTP API and must give
 * the per-tenant (per-model, per-plan) totals computed from the demo's own
 * exported spans (`tenant.id`, `app.plan`, `gen_ai.usage.cost`).
 *
 * Exactness, and the one tolerance:
 * - Plain counter sums (`sum by (tenant) (gen_ai_client_cost_total)`) have no
 *   extrapolation: equal up to float summation order (1e-9 USD).
 * - The demo creates every series at 0 before traffic (CostMetrics.initialize)
 *   and Prometheus scrapes those zeros first, so `increase()` has a zero
 *   baseline (no lost first increment, and Prometheus extrapolates the start
 *   to the zero point, i.e. not at all). Evaluated at the timestamp of the
 *   last scrape, there is no end extrapolation either: exact (1e-9).
 * - Evaluated δ = 0.5 s after the last scrape (δ < 1.1 × the 1 s interval),
 *   Prometheus extrapolates the end by δ: the result is the exact total
 *   times (1 + δ / S), S being the first-to-last sample span of the series.
 *   S ≥ (last scrape − first zero scrape we saw), so the test accepts
 *   [exact, exact × (1 + δ / S_min)].
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDemo,
  type Demo,
  type TrafficResult,
} from '../../examples/demo/demo.js';
import {
  prometheusBinary,
  startPrometheus,
  type PrometheusProcess,
  type Sample,
} from './prometheus-server.js';

const USD_EPSILON = 1e-9;
const DELTA_SECONDS = 0.5;

const hasPrometheus = prometheusBinary() !== undefined;

let demo: Demo;
let prometheus: PrometheusProcess;
let traffic: TrafficResult;
/** Time of the last scrape (s), and of the first zero-baseline scrape seen. */
let lastScrape: number;
let firstScrape: number;

function byLabel(
  samples: readonly Sample[],
  ...labels: string[]
): Map<string, number> {
  return new Map(
    samples.map(sample => [
      labels.map(label => sample.metric[label] ?? '').join('|'),
      sample.value,
    ]),
  );
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** Expected USD per tenant label, from the spans the demo exported. */
function expectedByTenant(): Map<string, number> {
  const expected = new Map<string, number>();
  for (const tenant of demo.telemetry.spanTotals.tenants()) {
    add(
      expected,
      demo.telemetry.costMetrics.policy.tenant(tenant.tenantId).value,
      tenant.costUsd,
    );
  }
  return expected;
}

function expectSameTotals(
  actual: Map<string, number>,
  expected: Map<string, number>,
): void {
  for (const [key, value] of expected) {
    if (value > 0)
      expect(actual.has(key), `${key} missing from Prometheus`).toBe(true);
  }
  for (const [key, value] of actual) {
    expect(Math.abs(value - (expected.get(key) ?? 0)), key).toBeLessThan(
      USD_EPSILON,
    );
  }
}

const ledgerDir = mkdtempSync(join(tmpdir(), 'demo-scrape-ledger-'));
beforeAll(async () => {
  if (!hasPrometheus) return;
  demo = await createDemo({
    seed: 7,
    users: 300,
    tenants: 20,
    namedTenants: 5,
    tenantBuckets: 4,
    maxCalls: 400,
    rate: 100,
    concurrency: 8,
    durationSeconds: 60,
    metricsPort: 0,
    ledgerPath: join(ledgerDir, 'ledger.db'),
    env: {},
  });
  prometheus = await startPrometheus({ demo: demo.metricsUrl });
  // The zero baselines are in Prometheus before the first call.
  await prometheus.waitFor(
    'count(gen_ai_client_cost_calls_total{job="demo"})',
    s => (s[0]?.value ?? 0) > 0,
  );
  const [first] = await prometheus.query(
    'max(timestamp(gen_ai_client_cost_calls_total{job="demo"}))',
  );
  firstScrape = first?.value ?? Number.NaN;
  traffic = await demo.run();
  // Wait for a scrape after the last call.
  await prometheus.waitFor(
    'sum(gen_ai_client_cost_calls_total{job="demo"})',
    s => s[0]?.value === demo.telemetry.spanTotals.totals.calls,
  );
  const [last] = await prometheus.query(
    'max(timestamp(gen_ai_client_cost_calls_total{job="demo"}))',
  );
  lastScrape = last?.value ?? Number.NaN;
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await demo?.shutdown();
  rmSync(ledgerDir, { recursive: true, force: true });
});

describe.skipIf(!hasPrometheus)('Prometheus scraping the demo', () => {
  it('scraped every call, all attributed, without SDK overflow series', async () => {
    expect(traffic).toMatchObject({ calls: 400, failed: 0 });
    const ledger = demo.telemetry.spanTotals;
    expect(ledger.totals.calls).toBe(400);
    expect(ledger.tenants().map(t => t.tenantId)).not.toContain(
      '(unattributed)',
    );
    expect((await prometheus.query('up{job="demo"}'))[0]?.value).toBe(1);
    expect(await prometheus.query('{otel_metric_overflow="true"}')).toEqual([]);
    expect(
      await prometheus.query('{__name__=~"gen_ai_client_cost.*", user_id!=""}'),
    ).toEqual([]);
    expect(lastScrape - firstScrape).toBeGreaterThan(1);
  });

  it('plain counter sums by tenant equal the spans’ totals (no extrapolation)', async () => {
    const samples = await prometheus.query(
      'sum by (tenant) (gen_ai_client_cost_total{job="demo"})',
    );
    const expected = expectedByTenant();
    // 5 named tenants, 4 hash buckets for the other 15.
    expect([...expected.keys()].sort()).toEqual(
      [
        ...demo.population.namedTenants,
        'bucket-0',
        'bucket-1',
        'bucket-2',
        'bucket-3',
      ].sort(),
    );
    expectSameTotals(byLabel(samples, 'tenant'), expected);
    const [grand] = await prometheus.query(
      'sum(gen_ai_client_cost_total{job="demo"})',
    );
    expect(
      Math.abs((grand?.value ?? 0) - demo.telemetry.spanTotals.totals.costUsd),
    ).toBeLessThan(USD_EPSILON);
  });

  it('cookbook: daily cost per tenant, exact at the last scrape', async () => {
    const samples = await prometheus.query(
      'sum by (tenant) (increase(gen_ai_client_cost_total[1d]))',
      lastScrape,
    );
    expectSameTotals(byLabel(samples, 'tenant'), expectedByTenant());
  });

  it('cookbook: daily cost per tenant between scrapes, within the extrapolation bound', async () => {
    const samples = await prometheus.query(
      'sum by (tenant) (increase(gen_ai_client_cost_total[1d]))',
      lastScrape + DELTA_SECONDS,
    );
    const bound = DELTA_SECONDS / (lastScrape - firstScrape);
    const actual = byLabel(samples, 'tenant');
    for (const [tenant, exact] of expectedByTenant()) {
      const value = actual.get(tenant) ?? Number.NaN;
      expect(value, tenant).toBeGreaterThanOrEqual(exact - USD_EPSILON);
      expect(value, tenant).toBeLessThanOrEqual(
        exact * (1 + bound) + USD_EPSILON,
      );
    }
  });

  it('cookbook: cost by tenant and model', async () => {
    const samples = await prometheus.query(
      'sum by (tenant, gen_ai_response_model) (increase(gen_ai_client_cost_total[1d]))',
      lastScrape,
    );
    const expected = new Map<string, number>();
    const policy = demo.telemetry.costMetrics.policy;
    for (const user of demo.telemetry.spanTotals.users()) {
      for (const [model, cost] of user.costByModel) {
        add(expected, `${policy.tenant(user.tenantId).value}|${model}`, cost);
      }
    }
    expectSameTotals(
      byLabel(samples, 'tenant', 'gen_ai_response_model'),
      expected,
    );
  });

  it('cookbook: cost by plan', async () => {
    const samples = await prometheus.query(
      'sum by (plan) (increase(gen_ai_client_cost_total[1d]))',
      lastScrape,
    );
    const expected = new Map<string, number>();
    for (const tenant of demo.telemetry.spanTotals.tenants()) {
      add(
        expected,
        demo.telemetry.costMetrics.policy.plan(tenant.plan).value,
        tenant.costUsd,
      );
    }
    expect(expected.has('other')).toBe(true); // the `trial` plan is not allow-listed
    expectSameTotals(byLabel(samples, 'plan'), expected);
  });

  it('cookbook: top 10 tenants this month', async () => {
    const samples = await prometheus.query(
      'topk(10, sum by (tenant) (increase(gen_ai_client_cost_total[30d])))',
      lastScrape,
    );
    const expected = [...expectedByTenant().entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10);
    const actual = samples
      .map(sample => [sample.metric['tenant'], sample.value] as const)
      .sort((a, b) => b[1] - a[1]);
    expect(actual.map(([tenant]) => tenant)).toEqual(
      expected.map(([tenant]) => tenant),
    );
    actual.forEach(([, value], i) =>
      expect(Math.abs(value - (expected[i]?.[1] ?? 0))).toBeLessThan(
        USD_EPSILON,
      ),
    );
  });

  it('cookbook: cost rate per tenant (USD/s over 5m)', async () => {
    const samples = await prometheus.query(
      'sum by (tenant) (rate(gen_ai_client_cost_total[5m]))',
      lastScrape,
    );
    const perWindow = new Map(
      [...byLabel(samples, 'tenant')].map(([tenant, rate]) => [
        tenant,
        rate * 300,
      ]),
    );
    expectSameTotals(perWindow, expectedByTenant());
  });

  it('cookbook: unpriced share of calls', async () => {
    const [share] = await prometheus.query(
      'sum(increase(gen_ai_client_cost_unpriced_calls_total[1d])) / sum(increase(gen_ai_client_cost_calls_total[1d]))',
      lastScrape,
    );
    const { unpricedCalls, calls } = demo.telemetry.spanTotals.totals;
    expect(unpricedCalls).toBeGreaterThan(0);
    expect(share?.value).toBeCloseTo(unpricedCalls / calls, 12);
  });

  it('cookbook: share of calls whose tenant label overflowed', async () => {
    const [share] = await prometheus.query(
      'sum(gen_ai_client_cost_label_overflow_total{label="tenant"}) / sum(gen_ai_client_cost_calls_total)',
      lastScrape,
    );
    const named = new Set(demo.population.namedTenants);
    const ledger = demo.telemetry.spanTotals;
    const bucketed = ledger
      .tenants()
      .filter(t => !named.has(t.tenantId))
      .reduce((n, t) => n + t.calls, 0);
    expect(share?.value).toBeCloseTo(bucketed / ledger.totals.calls, 12);
  });
});

describe.skipIf(!hasPrometheus)(
  'the Grafana dashboard against the same Prometheus',
  () => {
    const dashboard = JSON.parse(
      readFileSync('deploy/grafana/dashboards/llm-cost.json', 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    /** Grafana's variables and macros, as Grafana would expand them here. */
    function expand(expr: string): string {
      return expr
        .replaceAll('$__rate_interval', '1m')
        .replaceAll('$__range', '1h')
        .replaceAll('$tenant', '.*');
    }

    it('every panel query parses and returns data', async () => {
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          const samples = await prometheus.query(
            expand(target.expr),
            lastScrape,
          );
          expect(
            samples.length,
            `${panel.title}: ${target.expr}`,
          ).toBeGreaterThan(0);
        }
      }
    });

    it('the cost-per-tenant panel shows the spans’ totals', async () => {
      const panel = dashboard.panels.find(
        p => p.title === 'Cost per tenant in range',
      );
      const samples = await prometheus.query(
        expand(panel?.targets[0]?.expr ?? ''),
        lastScrape,
      );
      expectSameTotals(byLabel(samples, 'tenant'), expectedByTenant());
    });
  },
);
