import { diag } from '@opentelemetry/api';
import type { Redis, RedisOptions } from 'ioredis';
import type {
  BudgetStore,
  ReadOperation,
  ReadOutcome,
  RecordOperation,
  RecordOutcome,
} from './budget-store.js';
import { READ_SCRIPT, RECORD_SCRIPT } from './redis-budget-scripts.js';

/** Connection settings of the Redis store. */
export interface RedisBudgetStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` (a secret: never repeated). */
  readonly url: string;
  /** Each command fails after this long (a hung Redis never blocks a check). */
  readonly timeoutMillis: number;
  /** Called when the connection is ready again (the guard replays its buffer). */
  readonly onReady?: () => void;
}

interface ScriptedRedis extends Redis {
  budgetRecord(numberOfKeys: number, ...args: string[]): Promise<number[]>;
  budgetRead(numberOfKeys: number, ...args: string[]): Promise<number[]>;
}

/** The Redis client constructor, loaded only when a Redis store is asked for. */
async function loadRedis(): Promise<
  new (url: string, options: RedisOptions) => Redis
> {
  try {
    const module = (await import('ioredis')) as unknown as {
      Redis?: new (url: string, options: RedisOptions) => Redis;
      default?: new (url: string, options: RedisOptions) => Redis;
    };
    const constructor = module.Redis ?? module.default;
    if (constructor === undefined) throw new Error('no Redis export');
    return constructor;
  } catch (error) {
    throw new Error(
      'BudgetGuard: a Redis store needs the optional ioredis package (npm install ioredis)',
      { cause: error },
    );
  }
}

/** Keys in the order of KEYS, each once; `index` gives its 1-based place. */
class KeyList {
  readonly keys: string[] = [];
  private readonly places = new Map<string, number>();
  index(key: string): number {
    let place = this.places.get(key);
    if (place === undefined) {
      this.keys.push(key);
      place = this.keys.length;
      this.places.set(key, place);
    }
    return place;
  }
}

/**
 * Spend shared by every replica in one Redis (a single node, or a primary
 * behind Sentinel): one script per recorded call, one per check. Commands
 * are auto-pipelined (those of one tick go out in one write); a command
 * made while disconnected fails at once (no offline queue: the guard
 * buffers and replays), and every command times out.
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly client: Promise<ScriptedRedis>;
  private readonly firstReady: Promise<void>;
  private closed = false;
  private everReady = false;
  private readonly timeoutMillis: number;
  private markReady: () => void = () => undefined;

  constructor(options: RedisBudgetStoreOptions) {
    this.timeoutMillis = options.timeoutMillis;
    this.firstReady = new Promise(resolve => (this.markReady = resolve));
    this.client = this.open(options);
    // A rejection is seen by each operation; none is left unhandled.
    this.client.catch(() => undefined);
  }

  /**
   * Resolves once connected (rejects without ioredis); after `millis` it
   * resolves anyway (commands then fail until Redis answers).
   */
  async ready(millis = 5000): Promise<void> {
    await this.client;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.firstReady,
      new Promise(resolve => (timer = setTimeout(resolve, millis))),
    ]);
    clearTimeout(timer);
  }

  /**
   * The client; before its first connection, waits for it (up to the
   * command timeout), so a guard made at start-up does not fail its first
   * commands. Later, while disconnected, commands fail at once.
   */
  private async connected(): Promise<ScriptedRedis> {
    const client = await this.client;
    if (client.status !== 'ready' && !this.everReady)
      await this.ready(this.timeoutMillis);
    return client;
  }

  private async open(options: RedisBudgetStoreOptions): Promise<ScriptedRedis> {
    const RedisClient = await loadRedis();
    const client = new RedisClient(options.url, {
      lazyConnect: false,
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.timeoutMillis,
      connectTimeout: Math.max(options.timeoutMillis, 1000),
      retryStrategy: times => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    }) as ScriptedRedis;
    client.on('error', (error: Error) => {
      diag.debug(`otel-genai-cost: budget store (Redis): ${error.message}`);
    });
    client.on('ready', () => {
      this.everReady = true;
      this.markReady();
      options.onReady?.();
    });
    client.defineCommand('budgetRecord', { lua: RECORD_SCRIPT });
    client.defineCommand('budgetRead', { lua: READ_SCRIPT });
    return client;
  }

  async record(operation: RecordOperation): Promise<RecordOutcome> {
    const client = await this.connected();
    const keys = new KeyList();
    keys.index(operation.seenKey);
    const plan = {
      o: operation.operationId ?? '1',
      s: operation.seenExpireAt,
      m: String(operation.micros),
      i: operation.increments.map(inc => [keys.index(inc.key), inc.expireAt]),
      z: operation.settle.map(s => [keys.index(s.setKey), s.member]),
      a: operation.alerts.map(check => [
        check.sumKeys.map(key => keys.index(key)),
        check.alertExpireAt,
        check.thresholds.map(t => [String(t.micros), keys.index(t.alertKey)]),
      ]),
    };
    const reply = await client.budgetRecord(
      keys.keys.length,
      ...keys.keys,
      JSON.stringify(plan),
    );
    // 1: applied now; 2: applied by an earlier attempt (its answer lost).
    if (reply[0] !== 1 && reply[0] !== 2) return { applied: false, fired: [] };
    const fired: { check: number; threshold: number; spent: number }[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      const code = Number(reply[i]);
      const check = Math.floor(code / 1000);
      fired.push({
        check,
        threshold: code - check * 1000,
        spent: Number(reply[i + 1]),
      });
    }
    return { applied: true, fired };
  }

  async read(operation: ReadOperation): Promise<ReadOutcome> {
    const client = await this.connected();
    const keys = new KeyList();
    const reserve = operation.reserve;
    const plan = {
      n: operation.now,
      b: operation.budgets.map(b => [
        b.sumKeys.map(key => keys.index(key)),
        b.reservationSets.map(key => keys.index(key)),
        String(b.limitMicros),
      ]),
      ...(reserve === undefined
        ? {}
        : {
            r: [
              reserve.member,
              String(reserve.micros),
              reserve.expireAt,
              reserve.sets.map(key => keys.index(key)),
            ],
          }),
    };
    const reply = await client.budgetRead(
      keys.keys.length,
      ...keys.keys,
      JSON.stringify(plan),
    );
    return {
      reserved: reply[0] === 1,
      budgets: operation.budgets.map((_, i) => ({
        spent: Number(reply[1 + 2 * i] ?? 0),
        reserved: Number(reply[2 + 2 * i] ?? 0),
      })),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let client: ScriptedRedis;
    try {
      client = await this.client;
    } catch {
      return;
    }
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  }
}
