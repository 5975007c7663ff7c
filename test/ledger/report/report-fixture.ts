/**
 * Ledger rows for the report tests, priced from published list prices
 * (test/helpers/prices.ts; gpt-4o: OpenAI pricing page, $2.50 input and $10
 * output per 1M tokens), never from the code under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRow } from '../../../src/ledger/ledger-row.js';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';
import { openSqliteLedgerStore } from '../../../src/ledger/sqlite/sqlite-ledger-store.js';
import {
  CLAUDE_SONNET_4_5,
  GPT_4O_MINI,
  type TokenRates,
} from '../../helpers/prices.js';

/** OpenAI pricing page (Standard tier): gpt-4o $2.50 input / $10 output per 1M tokens. */
export const GPT_4O: TokenRates = { input: 2.5, output: 10 };

export const RATES: Readonly<Record<string, TokenRates>> = {
  'gpt-4o': GPT_4O,
  'gpt-4o-mini': GPT_4O_MINI,
  'claude-sonnet-4-5': CLAUDE_SONNET_4_5,
};

/** One call as a test writes it; `model` outside RATES is unpriced. */
export interface Call {
  readonly time: string;
  readonly user?: string | null;
  readonly tenant?: string | null;
  readonly plan?: string | null;
  readonly feature?: string | null;
  readonly tags?: Readonly<Record<string, string>>;
  readonly model: string | null;
  readonly input: number;
  readonly output: number;
}

/** Nano-dollars of a call at its published rates (USD per 1M tokens = 1,000 n$ per token); null: unpriced. */
export function nanoUsdOf(call: Call): number | null {
  const rates = call.model === null ? undefined : RATES[call.model];
  if (rates === undefined) return null;
  return (
    Math.round(call.input * rates.input * 1000) +
    Math.round(call.output * (rates.output ?? 0) * 1000)
  );
}

function sortedTags(tags: Readonly<Record<string, string>> = {}): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) sorted[key] = tags[key] as string;
  return JSON.stringify(sorted);
}

export function rowOf(call: Call, n: number): LedgerRow {
  const nusd = nanoUsdOf(call);
  return {
    traceId: n.toString(16).padStart(32, '0'),
    spanId: (n + 1).toString(16).padStart(16, '0'),
    timeMillis: Date.parse(call.time),
    service: 'test',
    userId: call.user ?? null,
    sessionId: null,
    tenantId: call.tenant ?? null,
    plan: call.plan ?? null,
    feature: call.feature ?? null,
    tags: sortedTags(call.tags),
    provider: 'openai',
    model: call.model,
    inputTokens: call.input,
    outputTokens: call.output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    inputNanoUsd: null,
    outputNanoUsd: null,
    cacheReadNanoUsd: null,
    cacheWriteNanoUsd: null,
    totalNanoUsd: nusd,
    source: nusd === null ? null : 'price_table',
    priceVersion: nusd === null ? null : 'test',
    unpricedReason: nusd === null ? 'unknown_model' : null,
  };
}

export interface TempStore {
  readonly store: LedgerStore;
  readonly dir: string;
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh SQLite ledger in a temp folder holding `calls`. */
export async function sqliteWith(calls: readonly Call[]): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-report-'));
  const path = join(dir, 'ledger.db');
  const store = await openSqliteLedgerStore(path);
  await store.insert(calls.map(rowOf));
  return {
    store,
    dir,
    path,
    async remove() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fortnight of traffic: `tenants` tenants, `users` users, three priced models and an unknown one. */
export function sampleCalls(
  seed: number,
  { days = 14, tenants = 10, users = 60, calls = 1500 } = {},
): Call[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(next() * items.length)] as T;
  const models = [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4o-mini',
    'claude-sonnet-4-5',
    'acme-llm-1',
  ];
  const start = Date.parse('2026-11-16T00:00:00Z');
  return Array.from({ length: calls }, () => {
    // Zipf-ish: low numbers far more often.
    const u = Math.floor(users * next() ** 2);
    const t = u % tenants;
    return {
      time: new Date(
        start + Math.floor(next() * days * 86_400_000),
      ).toISOString(),
      user: `user-${String(u).padStart(3, '0')}`,
      tenant: `tenant-${String.fromCharCode(97 + t)}`,
      plan: t < 2 ? 'enterprise' : t < 5 ? 'pro' : 'free',
      feature: pick(['chat', 'search', 'summarize']),
      model: pick(models),
      input: 50 + Math.floor(next() * 4000),
      output: 10 + Math.floor(next() * 800),
    };
  });
}
