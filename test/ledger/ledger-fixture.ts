/** Helpers for the ledger tests: a temp SQLite file, a tracer whose ids repeat, the rows read back. */
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import Database from 'libsql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CostLedger,
  CostSpanProcessor,
  type CostLedgerOptions,
  type CostSpanProcessorOptions,
} from '../../src/index.js';

export interface TempDir {
  readonly dir: string;
  readonly db: string;
  remove(): void;
}

export function tempLedgerDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  return {
    dir,
    db: join(dir, 'ledger.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Ids from a counter: a second provider with the same seed makes the same spans. */
export class CountingIds {
  private _n = 0;
  constructor(private readonly _seed: number) {}
  generateTraceId(): string {
    this._n += 1;
    return (
      (this._seed.toString(16) + '0'.repeat(8)).slice(0, 8) +
      this._n.toString(16).padStart(24, '0')
    );
  }
  generateSpanId(): string {
    this._n += 1;
    return this._n.toString(16).padStart(16, '0');
  }
}

export interface LedgerTracing {
  readonly tracer: Tracer;
  readonly processor: CostSpanProcessor;
  spans(): Promise<ReadableSpan[]>;
  shutdown(): Promise<void>;
}

/** A provider with a `CostSpanProcessor` (no metrics, env {}) and an in-memory exporter. */
export function ledgerTracing(
  options: CostSpanProcessorOptions,
  idSeed = 1,
): LedgerTracing {
  const exporter = new InMemorySpanExporter();
  const processor = new CostSpanProcessor({
    env: {},
    metrics: false,
    ...options,
  });
  const provider = new NodeTracerProvider({
    idGenerator: new CountingIds(idSeed),
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  return {
    tracer: provider.getTracer('test'),
    processor,
    async spans() {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

export interface LedgerRowRead {
  trace_id: string;
  span_id: string;
  time_ms: number;
  service: string | null;
  user_id: string | null;
  session_id: string | null;
  tenant_id: string | null;
  plan: string | null;
  feature: string | null;
  tags: string;
  provider: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  input_nusd: number | null;
  output_nusd: number | null;
  cache_read_nusd: number | null;
  cache_write_nusd: number | null;
  total_nusd: number | null;
  source: string | null;
  price_version: string | null;
  unpriced_reason: string | null;
}

/** Every row of the file, read with a connection of its own. */
export function readRows(path: string): LedgerRowRead[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare('SELECT * FROM llm_calls ORDER BY trace_id, span_id')
      .all() as LedgerRowRead[];
  } finally {
    db.close();
  }
}

export function sqliteLedger(
  path: string,
  options: Partial<CostLedgerOptions> = {},
): CostLedger {
  return new CostLedger({ url: `sqlite:${path}`, ...options });
}
