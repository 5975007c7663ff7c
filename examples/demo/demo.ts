/**
 * The demo as a library: build it (telemetry, population, fake OpenAI
 * server, cost ledger), run the traffic, shut it down. `main.ts` is the
 * command line around it; tests drive it directly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type OpenAI from 'openai';
import { withAttribution, type SeriesSeed } from 'otel-genai-cost';
import { DEFAULT_DEMO_OPTIONS, type DemoOptions } from './demo-options.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai-server.js';
import {
  PLAN_ROUTES,
  UNPRICED_ROUTE,
  planCall,
  runCall,
} from './llm-routes.js';
import { createPopulation, type Population } from './population.js';
import { Random } from './random.js';
import { setupTelemetry, type DemoTelemetry } from './telemetry.js';

/** Plans with their own `plan` label; `trial` shows up as `other`. */
export const LABELLED_PLANS = ['free', 'pro', 'enterprise'];

export interface TrafficResult {
  readonly calls: number;
  readonly failed: number;
  readonly elapsedMillis: number;
}

export interface Demo {
  readonly options: DemoOptions;
  readonly population: Population;
  readonly telemetry: DemoTelemetry;
  /** Where Prometheus scrapes the cost metrics. */
  readonly metricsUrl: string;
  /** Runs the traffic until the duration or call count is reached, or `stop()`. */
  run(): Promise<TrafficResult>;
  /** Stops starting new calls (in-flight calls finish). */
  stop(): void;
  shutdown(): Promise<void>;
}

export async function createDemo(
  overrides: Partial<DemoOptions> = {},
): Promise<Demo> {
  const options: DemoOptions = { ...DEFAULT_DEMO_OPTIONS, ...overrides };
  const random = new Random(options.seed);
  const population = createPopulation(random, {
    users: options.users,
    tenants: options.tenants,
    named: options.namedTenants,
  });
  const telemetry = await setupTelemetry({
    serviceName: options.serviceName,
    ledgerPath:
      options.ledgerPath === undefined
        ? join(
            mkdtempSync(join(tmpdir(), 'otel-genai-cost-demo-')),
            'ledger.db',
          )
        : resolve(options.ledgerPath),
    metricsHost: options.metricsHost,
    metricsPort: options.metricsPort,
    namedTenants: population.namedTenants,
    tenantBuckets: options.tenantBuckets,
    plans: LABELLED_PLANS,
    env: options.env,
  });
  let fake: FakeOpenAI;
  try {
    fake = await startFakeOpenAI();
  } catch (error) {
    await telemetry.shutdown();
    throw error;
  }
  // Zero baselines, so `increase()` does not lose each series' first calls.
  telemetry.costMetrics.initialize(seriesSeeds(population));
  const openai = new telemetry.OpenAI({
    apiKey: 'demo-no-key-needed',
    baseURL: fake.baseURL,
    maxRetries: 0,
  });
  let stopped = false;

  return {
    options,
    population,
    telemetry,
    metricsUrl: telemetry.metrics.url,
    run: () =>
      runTraffic(options, population, random, openai, () => stopped, telemetry),
    stop: () => {
      stopped = true;
    },
    async shutdown() {
      stopped = true;
      await fake.close();
      await telemetry.shutdown();
    },
  };
}

async function runTraffic(
  options: DemoOptions,
  population: Population,
  random: Random,
  openai: OpenAI,
  isStopped: () => boolean,
  telemetry: DemoTelemetry,
): Promise<TrafficResult> {
  const started = Date.now();
  const deadline =
    options.durationSeconds > 0
      ? started + options.durationSeconds * 1000
      : Infinity;
  const userWeights = population.users.map(user => user.weight);
  const intervalMillis = 1000 / options.rate;
  const inFlight = new Set<Promise<void>>();
  let calls = 0;
  let failed = 0;
  while (
    !isStopped() &&
    Date.now() < deadline &&
    (options.maxCalls === undefined || calls < options.maxCalls)
  ) {
    if (inFlight.size >= options.concurrency) {
      await Promise.race(inFlight);
      continue;
    }
    // Plan from the seed first: the traffic is the same whatever the timing.
    const user = population.users[random.weighted(userWeights)];
    if (user === undefined) break;
    const call = planCall(random, user.tenant.plan);
    const sequence = ++calls;
    const tags = {
      userId: user.id,
      tenantId: user.tenant.id,
      plan: user.tenant.plan,
    };
    const running: Promise<void> = withAttribution(tags, () =>
      runCall(call, openai, sequence),
    )
      .catch(() => {
        failed += 1;
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    await sleep(intervalMillis);
  }
  await Promise.all(inFlight);
  await telemetry.provider.forceFlush();
  return { calls, failed, elapsedMillis: Date.now() - started };
}

/** Every (tenant, plan, model) the population can produce. */
function seriesSeeds(population: Population): SeriesSeed[] {
  const seeds: SeriesSeed[] = [];
  for (const tenant of population.tenants) {
    const base = { plan: tenant.plan, tenantId: tenant.id };
    for (const route of PLAN_ROUTES[tenant.plan]) {
      seeds.push({ ...base, provider: route.provider, model: route.model });
    }
    seeds.push({
      ...base,
      provider: UNPRICED_ROUTE.provider,
      model: UNPRICED_ROUTE.model,
      unpricedReason: 'unknown_model',
    });
  }
  return seeds;
}
