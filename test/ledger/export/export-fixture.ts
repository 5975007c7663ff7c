/** A temp SQLite ledger with calls priced at gpt-4o's published rates, for the export tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRow } from '../../../src/ledger/ledger-row.js';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';
import { openSqliteLedgerStore } from '../../../src/ledger/sqlite/sqlite-ledger-store.js';

/**
 * OpenAI pricing page (https://openai.com/api/pricing/, Standard tier):
 * gpt-4o $2.50 input / $10.00 output per 1M tokens, i.e. 2,500 and 10,000
 * nano-dollars a token.
 */
export const GPT_4O_NANO_USD_PER_TOKEN = { input: 2_500, output: 10_000 };

/** The fixed clock of the tests: 2026-11-30 12:00 UTC. */
export const NOW = Date.UTC(2026, 10, 30, 12);

/** ms at the UTC start of `YYYY-MM-DD`. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export interface CallSpec {
  readonly day: string;
  readonly tenant?: string | null;
  readonly user?: string | null;
  readonly input: number;
  readonly output: number;
  /** false: an unpriced call (unknown model). */
  readonly priced?: boolean;
  /** ms into the day. */
  readonly offsetMillis?: number;
}

/** What a call costs at gpt-4o's published rates, nano-dollars. */
export function costOf(spec: Pick<CallSpec, 'input' | 'output'>): number {
  return (
    spec.input * GPT_4O_NANO_USD_PER_TOKEN.input +
    spec.output * GPT_4O_NANO_USD_PER_TOKEN.output
  );
}

let serial = 0;

export function rowOf(spec: CallSpec): LedgerRow {
  serial += 1;
  const priced = spec.priced ?? true;
  return {
    traceId: serial.toString(16).padStart(32, '0'),
    spanId: serial.toString(16).padStart(16, '0'),
    timeMillis: dayStart(spec.day) + (spec.offsetMillis ?? serial % 86_400_000),
    service: 'svc',
    userId: spec.user ?? null,
    sessionId: null,
    tenantId: spec.tenant === undefined ? 'acme' : spec.tenant,
    plan: null,
    feature: null,
    tags: '{}',
    provider: 'openai',
    model: priced ? 'gpt-4o' : 'gpt-unknown',
    inputTokens: spec.input,
    outputTokens: spec.output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    inputNanoUsd: priced ? spec.input * GPT_4O_NANO_USD_PER_TOKEN.input : null,
    outputNanoUsd: priced
      ? spec.output * GPT_4O_NANO_USD_PER_TOKEN.output
      : null,
    cacheReadNanoUsd: priced ? 0 : null,
    cacheWriteNanoUsd: priced ? 0 : null,
    totalNanoUsd: priced ? costOf(spec) : null,
    source: priced ? 'price_table' : null,
    priceVersion: priced ? 'test' : null,
    unpricedReason: priced ? null : 'unknown_model',
  };
}

export interface TempLedger {
  readonly path: string;
  readonly url: string;
  readonly store: LedgerStore;
  add(calls: readonly CallSpec[]): Promise<void>;
  close(): Promise<void>;
}

export async function tempLedger(): Promise<TempLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'export-test-'));
  const path = join(dir, 'ledger.db');
  const store = await openSqliteLedgerStore(path);
  return {
    path,
    url: `sqlite:${path}`,
    store,
    async add(calls) {
      await store.insert(calls.map(rowOf));
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ledger cost per customer per day (nano-dollars), from the specs alone. */
export function expectedDaily(
  calls: readonly CallSpec[],
  by: 'tenant' | 'user' = 'tenant',
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const call of calls) {
    if (call.priced === false) continue;
    const customer =
      by === 'tenant'
        ? call.tenant === undefined
          ? 'acme'
          : call.tenant
        : call.user;
    if (customer === null || customer === undefined) continue;
    const id = `${customer}|${call.day}`;
    sums.set(id, (sums.get(id) ?? 0) + costOf(call));
  }
  return sums;
}

/** Nano-dollars to the nearest micro-dollar, halves up (the documented meter unit). */
export function micro(nanoUsd: number): number {
  return Math.floor((nanoUsd + 500) / 1000);
}
