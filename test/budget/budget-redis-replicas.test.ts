/**
 * Three processes share one tenant budget on a real Redis (Debian's
 * redis-server, private instance): each makes concurrent gpt-4o calls
 * while `check` allows, some records delivered twice. The shared spend is
 * the sum of the calls at OpenAI's published price to the micro-dollar,
 * each alert fires once across the three, and spending stops near the
 * limit (within the calls in flight; with reservations, not past it).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../src/index.js';
import {
  redisBinary,
  startRedisServer,
  type RedisServer,
} from '../helpers/redis-server.js';

/** OpenAI pricing page (Standard): gpt-4o $2.50 input / $10.00 output per 1M tokens. */
const GPT_4O = { input: 2.5, output: 10 };
const REPLICAS = 3;
const WORKERS = 8;
const CALLS_PER_WORKER = 40;
const LIMIT_USD = 1.5;
/** The largest call a replica makes: 2198 input and 499 output tokens. */
const MAX_CALL_MICROS = 2198 * GPT_4O.input + 499 * GPT_4O.output;

const script = fileURLToPath(
  new URL('./fixtures/budget-replica.ts', import.meta.url),
);

interface ReplicaReport {
  readonly calls: readonly { input: number; output: number }[];
  readonly denied: number;
  readonly alerts: readonly {
    threshold: number;
    id: string;
    spentUsd: number;
  }[];
  readonly stats: { duplicates: number; recorded: number; storeErrors: number };
  readonly lastAllowed: boolean;
}

function runReplica(args: object): Promise<ReplicaReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, JSON.stringify(args)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', chunk => (out += String(chunk)));
    child.stderr.on('data', chunk => (err += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', code => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`replica exited ${code}: ${err}`));
      else
        resolve(
          JSON.parse(out.trim().split('\n').pop() ?? '{}') as ReplicaReport,
        );
    });
  });
}

/** A call's cost in micro-dollars from the published rates (tokens x USD per 1M). */
const micros = (call: { input: number; output: number }): number =>
  call.input * GPT_4O.input + call.output * GPT_4O.output;

let redis: RedisServer | undefined;
let admin: Redis | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  if (redis !== undefined) admin = new Redis(redis.url);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.remove();
});
beforeEach(async () => {
  await admin?.flushall();
});

async function runThree(
  reserveUsd?: number,
): Promise<{ reports: ReplicaReport[]; spentMicros: number }> {
  const server = redis as RedisServer;
  const startAt = Date.now() + 3000;
  const reports = await Promise.all(
    Array.from({ length: REPLICAS }, (_, replica) =>
      runReplica({
        url: server.url,
        replica,
        workers: WORKERS,
        callsPerWorker: CALLS_PER_WORKER,
        limitUsd: LIMIT_USD,
        startAt,
        ...(reserveUsd === undefined ? {} : { reserveUsd }),
      }),
    ),
  );
  const reader = new BudgetGuard({
    store: server.url,
    budgets: [
      {
        scope: 'tenant',
        id: 'acme',
        limitUsd: LIMIT_USD,
        window: 'day',
        timezone: 'Europe/Berlin',
      },
    ],
    env: {},
  });
  const spent = await reader.spent({ scope: 'tenant', id: 'acme' });
  await reader.shutdown();
  return { reports, spentMicros: Math.round(spent * 1e6) };
}

describe.runIf(redisBinary() !== undefined)(
  'three replicas share one budget on Redis',
  () => {
    it('count every call once, to the micro-dollar, stop near the limit and fire each alert once', async () => {
      const { reports, spentMicros } = await runThree();
      const calls = reports.flatMap(r => r.calls);
      const expected = calls.reduce((sum, call) => sum + micros(call), 0);
      expect(calls.length).toBeGreaterThan(100);
      expect(spentMicros).toBe(expected);
      // Redeliveries happened and were not counted again.
      expect(
        reports.reduce((n, r) => n + r.stats.duplicates, 0),
      ).toBeGreaterThan(10);
      expect(reports.reduce((n, r) => n + r.stats.recorded, 0)).toBe(
        calls.length,
      );
      // Stopped near the limit: past it, but by no more than the calls in flight.
      expect(spentMicros).toBeGreaterThanOrEqual(LIMIT_USD * 1e6);
      expect(spentMicros).toBeLessThanOrEqual(
        LIMIT_USD * 1e6 + REPLICAS * WORKERS * MAX_CALL_MICROS,
      );
      expect(reports.every(r => r.denied > 0 && !r.lastAllowed)).toBe(true);
      // Each threshold once across the three replicas, when the spend reached it.
      const alerts = reports
        .flatMap(r => r.alerts)
        .sort((a, b) => a.threshold - b.threshold);
      expect(alerts.map(a => [a.threshold, a.id])).toEqual([
        [0.5, 'acme'],
        [0.8, 'acme'],
        [1, 'acme'],
      ]);
      for (const alert of alerts) {
        expect(alert.spentUsd).toBeGreaterThanOrEqual(
          alert.threshold * LIMIT_USD,
        );
      }
      expect(reports.every(r => r.stats.storeErrors === 0)).toBe(true);
    });

    it('with a reservation of the largest call per check, never spend past the limit', async () => {
      const { reports, spentMicros } = await runThree(MAX_CALL_MICROS / 1e6);
      const calls = reports.flatMap(r => r.calls);
      expect(spentMicros).toBe(
        calls.reduce((sum, call) => sum + micros(call), 0),
      );
      expect(spentMicros).toBeLessThanOrEqual(LIMIT_USD * 1e6);
      // Near the limit: the last allowed reservation could not fit one more call.
      expect(spentMicros).toBeGreaterThan(
        LIMIT_USD * 1e6 - REPLICAS * WORKERS * MAX_CALL_MICROS,
      );
      expect(reports.every(r => r.denied > 0)).toBe(true);
    });
  },
);
