/**
 * BudgetGuard with Redis on localhost:
 *
 *   npx tsx bench/budget.ts [--quick]
 *
 * - hot path: `span.end()` of a priced gpt-4o chat span through
 *   CostSpanProcessor without and with a BudgetGuard among its sinks
 *   (Redis store, three budgets a call), interleaved rounds in the same
 *   run; the guard's writes go out between rounds, untimed (its share in
 *   `span.end()` is the enqueue);
 * - check: latency of one `check` (user, tenant and plan budgets: a day in
 *   Europe/Berlin, a month, 24 rolling hours), one at a time (p50, p99),
 *   and checks per second with 64 in flight; round trips per check
 *   counted with Redis MONITOR (commands a script runs inside excluded);
 * - recording: calls per second from `record` into Redis, sustained
 *   (chunks of 100 with the event loop free between), the spend checked
 *   against the sum of the calls;
 * - sizes: Redis bytes per call (its seen-key) from `used_memory`, and the
 *   heap one seen call takes in the memory store.
 * Redis: `BUDGET_BENCH_REDIS_URL` (a database it may flush), else a
 * private `redis-server`; skipped without one. Targets (issue 14):
 * recording adds no more than an enqueue to `span.end()`; a check is one
 * round trip.
 */
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  BudgetGuard,
  CostSpanProcessor,
  type Budget,
  type CostRecord,
  type CostSink,
} from '../src/index.js';
import { MemoryBudgetStore } from '../src/budget/store/memory-budget-store.js';
import {
  startRedisServer,
  type RedisServer,
} from '../test/helpers/redis-server.js';
import { heapUsedAfterGc, yieldToEventLoop } from './harness/memory.js';
import { median, quantile, round } from './harness/stats.js';

const BUDGETS: readonly Budget[] = [
  { scope: 'user', limitUsd: 1e6, window: 'day', timezone: 'Europe/Berlin' },
  { scope: 'tenant', limitUsd: 1e6, window: 'month' },
  { scope: 'plan', limitUsd: 1e6, window: { rollingHours: 24 } },
];

function tracerWith(sinks: CostSink[]) {
  const processor = new CostSpanProcessor({ env: {}, metrics: false, sinks });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('bench'), provider };
}

function endChat(
  tracer: ReturnType<typeof tracerWith>['tracer'],
  i: number,
): void {
  const span = tracer.startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'enduser.id': `user-${i % 5000}`,
      'tenant.id': `tenant-${i % 50}`,
      'app.plan': i % 2 === 0 ? 'free' : 'pro',
    },
  });
  span.setAttributes({
    'gen_ai.response.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 1000 + (i % 900),
    'gen_ai.usage.output_tokens': 100 + (i % 300),
  });
  span.end();
}

/** A priced call built by hand (gpt-4o: $2.50 / $10 per 1M tokens; even inputs give whole micro-dollars). */
function call(i: number): CostRecord {
  const input = 2 * (500 + (i % 450));
  const output = 100 + (i % 300);
  return {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    call: {} as CostRecord['call'],
    identity: {
      userId: `user-${i % 5000}`,
      sessionId: undefined,
      tenantId: `tenant-${i % 50}`,
      plan: i % 2 === 0 ? 'free' : 'pro',
      feature: undefined,
      tags: {},
      source: 'manual',
    },
    cost: {
      priced: true,
      source: 'provider',
      totalUsd: (input * 2.5 + output * 10) / 1e6,
      priceVersion: 'provider',
    },
  };
}

/** Median ns of `span.end()` without and with the guard, interleaved rounds. */
async function spanEndCost(url: string, quick: boolean) {
  const SPANS = quick ? 5_000 : 20_000;
  const guard = new BudgetGuard({ store: url, budgets: BUDGETS, env: {} });
  await guard.ready();
  // Three processors: no sink, a sink that does nothing (what any sink
  // costs the processor: the record is built), the guard.
  const variants = [
    tracerWith([]),
    tracerWith([{ record: () => undefined }]),
    tracerWith([guard]),
  ];
  const samples: number[][] = [[], [], []];
  // Spans end in runs of 100 with the event loop free between runs (as
  // between requests; only the end() calls are timed), so the guard's
  // queue goes out on the next tick as it would in an application.
  const timed = async (
    tracer: ReturnType<typeof tracerWith>['tracer'],
  ): Promise<number> => {
    let ms = 0;
    for (let i = 0; i < SPANS; i += 100) {
      const t0 = performance.now();
      for (let k = i; k < i + 100; k += 1) endChat(tracer, k);
      ms += performance.now() - t0;
      await yieldToEventLoop();
    }
    return (ms * 1e6) / SPANS;
  };
  for (let round = 0; round < (quick ? 7 : 15); round += 1) {
    // A different order each round, so none always runs after a collection.
    for (let k = 0; k < 3; k += 1) {
      const v = (round + k) % 3;
      const ns = await timed((variants[v] as (typeof variants)[number]).tracer);
      if (round > 0) samples[v]?.push(ns); // the first round warms up
    }
    await guard.forceFlush(); // written between rounds, not timed
  }
  for (const v of variants) await v.provider.shutdown();
  const { recorded, duplicates, storeErrors, buffered } = guard.stats;
  await guard.shutdown();
  const [none, noop, guarded] = samples as [number[], number[], number[]];
  return {
    noSink: Math.round(median(none)),
    noopSink: Math.round(median(noop)),
    withGuard: Math.round(median(guarded)),
    /** Median per-round difference: the guard against a sink doing nothing. */
    addedByGuard: Math.round(median(guarded.map((g, i) => g - (noop[i] ?? 0)))),
    rounds: guarded.length,
    guard: { recorded, duplicates, storeErrors, buffered },
  };
}

/** Commands clients sent to Redis while `run` ran (MONITOR; script-internal ones excluded). */
async function roundTrips(
  admin: Redis,
  run: () => Promise<void>,
): Promise<number> {
  const monitor = await admin.monitor();
  let count = 0;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua' && String(args[0]).toLowerCase() !== 'ping')
      count += 1;
  });
  await run();
  await admin.ping();
  await new Promise(resolve => setTimeout(resolve, 100));
  monitor.disconnect();
  return count;
}

async function checkLatency(url: string, admin: Redis, quick: boolean) {
  const CHECKS = quick ? 2_000 : 20_000;
  const guard = new BudgetGuard({ store: url, budgets: BUDGETS, env: {} });
  await guard.ready();
  for (let i = 0; i < 200; i += 1) guard.record(call(i));
  await guard.forceFlush();
  const subject = (i: number) => ({
    userId: `user-${i % 5000}`,
    tenantId: `tenant-${i % 50}`,
    plan: 'pro',
  });
  for (let i = 0; i < 200; i += 1) await guard.check(subject(i)); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < CHECKS; i += 1) {
    const t0 = performance.now();
    await guard.check(subject(i));
    samples.push((performance.now() - t0) * 1000);
  }
  const IN_FLIGHT = 64;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < CHECKS) await guard.check(subject(next++));
    }),
  );
  const checksPerSecond = Math.round(
    (CHECKS / (performance.now() - t0)) * 1000,
  );
  const CHECKS_COUNTED = 100;
  const trips = await roundTrips(admin, async () => {
    for (let i = 0; i < CHECKS_COUNTED; i += 1) await guard.check(subject(i));
  });
  await guard.shutdown();
  return {
    p50Us: round(quantile(samples, 0.5)),
    p99Us: round(quantile(samples, 0.99)),
    checksPerSecondWith64InFlight: checksPerSecond,
    roundTripsPerCheck: trips / CHECKS_COUNTED,
  };
}

async function recording(url: string, admin: Redis, quick: boolean) {
  const CALLS = quick ? 20_000 : 200_000;
  await admin.flushdb();
  const memoryBefore = Number(
    /used_memory:(\d+)/.exec(await admin.info('memory'))?.[1],
  );
  const guard = new BudgetGuard({ store: url, budgets: BUDGETS, env: {} });
  await guard.ready();
  const records = Array.from({ length: CALLS }, (_, i) => call(i));
  const expectedMicros = records.reduce(
    (sum, r) => sum + Math.round((r.cost.priced ? r.cost.totalUsd : 0) * 1e6),
    0,
  );
  // `record` alone (the enqueue), 100 at a time as spans would end.
  let enqueueMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i += 100) {
    const e0 = performance.now();
    for (let k = i; k < i + 100 && k < CALLS; k += 1)
      guard.record(records[k] as CostRecord);
    enqueueMs += performance.now() - e0;
    await yieldToEventLoop();
    // As fast as Redis takes them: the producer waits while 10,000 wait
    // (past maxBufferedCalls the guard would drop, counted).
    while (guard.stats.queued > 10_000) await yieldToEventLoop();
  }
  await guard.forceFlush();
  const callsPerSecond = Math.round((CALLS / (performance.now() - t0)) * 1000);
  let spentMicros = 0;
  for (let t = 0; t < 50; t += 1) {
    spentMicros += Math.round(
      (await guard.spent({ scope: 'tenant', id: `tenant-${t}` })) * 1e6,
    );
  }
  const memoryAfter = Number(
    /used_memory:(\d+)/.exec(await admin.info('memory'))?.[1],
  );
  const keys = await admin.dbsize();
  const stats = { ...guard.stats };
  await guard.shutdown();
  return {
    calls: CALLS,
    callsPerSecond,
    recordNsPerCall: Math.round((enqueueMs * 1e6) / CALLS),
    spendExact: spentMicros === expectedMicros,
    recorded: stats.recorded,
    dropped: stats.dropped,
    storeErrors: stats.storeErrors,
    redisKeys: keys,
    redisBytesPerCall: Math.round((memoryAfter - memoryBefore) / CALLS),
  };
}

async function memoryStoreBytesPerSeenCall(quick: boolean): Promise<number> {
  const CALLS = quick ? 20_000 : 100_000;
  const store = new MemoryBudgetStore({ maxSeenKeys: CALLS });
  const before = heapUsedAfterGc();
  for (let i = 0; i < CALLS; i += 1) {
    await store.record({
      seenKey: `ogc:seen:${randomBytes(16).toString('hex')}:${randomBytes(8).toString('hex')}`,
      seenExpireAt: Date.now() + 86_400_000,
      micros: 0,
      increments: [],
      alerts: [],
      settle: [],
      now: Date.now(),
    });
  }
  const after = heapUsedAfterGc();
  const held = store.sizes.seen;
  await store.close();
  return Math.round((after - before) / held);
}

/** Runs every part; the Redis parts are `skipped` without a server. */
export async function runBudgetBench(quick: boolean) {
  let server: RedisServer | undefined;
  let url = process.env['BUDGET_BENCH_REDIS_URL'];
  if (url === undefined) {
    server = await startRedisServer();
    url = server?.url;
  }
  const memoryStore = {
    bytesPerSeenCall: await memoryStoreBytesPerSeenCall(quick),
  };
  if (url === undefined) {
    return {
      quick,
      node: process.version,
      skipped: 'no Redis (install redis-server or set BUDGET_BENCH_REDIS_URL)',
      memoryStore,
    };
  }
  const admin = new Redis(url);
  try {
    await admin.flushdb();
    const spanEndNs = await spanEndCost(url, quick);
    const check = await checkLatency(url, admin, quick);
    const record = await recording(url, admin, quick);
    return {
      quick,
      node: process.version,
      redis: String(
        /redis_version:(\S+)/.exec(await admin.info('server'))?.[1],
      ),
      spanEndNs,
      check,
      recording: record,
      memoryStore,
      targets: { roundTripsPerCheck: 1, spanEndAddsOnlyAnEnqueue: true },
    };
  } finally {
    admin.disconnect();
    await server?.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runBudgetBench(process.argv.includes('--quick'));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
