/**
 * The SQLite cost ledger behind `CostSpanProcessor`, measured:
 *
 *   npx tsx bench/ledger.ts [--quick]
 *
 * - sustained: GenAI chat spans ended as fast as one thread can, in chunks
 *   of 100 with the event loop free between chunks (so the ledger's timer
 *   and batches run, as in a server), then `forceFlush`: calls per second
 *   into the file, end to end; rows checked, drops counted; event-loop
 *   delay (p99, max) while it ran, and the longest write transaction;
 * - hot path: `span.end()` of a chat span with and without a ledger among
 *   the sinks, interleaved rounds (the ledger's share is the enqueue);
 * - memory: heap a queued call holds (100,000 queued, no write);
 * - disk: bytes per row (file after a WAL checkpoint / rows).
 * Target (issue 13): at least 20,000 calls/s sustained.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import Database from 'libsql';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  CostLedger,
  CostSpanProcessor,
  withAttribution,
} from '../src/index.js';
import { heapUsedAfterGc, yieldToEventLoop } from './harness/memory.js';

const quick = process.argv.includes('--quick');
const CALLS = quick ? 20_000 : 200_000;
const CHUNK = 100;
const TARGET = 20_000;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function tracerWith(sinks: CostLedger[]) {
  const processor = new CostSpanProcessor({ env: {}, metrics: false, sinks });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('bench'), provider };
}

function endChat(
  tracer: ReturnType<typeof tracerWith>['tracer'],
  i: number,
): void {
  withAttribution(
    { userId: `user-${i % 5000}`, tenantId: `tenant-${i % 50}` },
    () => {
      const span = tracer.startSpan('chat gpt-4o-mini', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
        },
      });
      span.setAttributes({
        'gen_ai.response.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000 + (i % 900),
        'gen_ai.usage.output_tokens': 100 + (i % 300),
      });
      span.end();
    },
  );
}

const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
try {
  // The same loop without a ledger: what the processor alone allows.
  const bare = tracerWith([]);
  const bareStart = performance.now();
  for (let i = 0; i < CALLS; i += CHUNK) {
    for (let k = i; k < i + CHUNK; k += 1) endChat(bare.tracer, k);
    await yieldToEventLoop();
  }
  const bareMs = performance.now() - bareStart;
  await bare.provider.shutdown();

  // Sustained throughput into the file.
  const db = join(dir, 'ledger.db');
  const batchRows = Number(process.env.LEDGER_BATCH_ROWS ?? 200);
  const ledger = new CostLedger({ url: `sqlite:${db}`, batchRows });
  await ledger.ready();
  const { tracer, provider } = tracerWith([ledger]);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  for (let i = 0; i < CALLS; i += CHUNK) {
    for (let k = i; k < i + CHUNK; k += 1) endChat(tracer, k);
    await yieldToEventLoop();
  }
  const producedMs = performance.now() - started;
  await ledger.forceFlush();
  const totalMs = performance.now() - started;
  delay.disable();
  await provider.shutdown();
  const reader = new Database(db);
  const rows = (
    reader.prepare('SELECT count(*) AS n FROM llm_calls').get() as { n: number }
  ).n;
  reader.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  reader.close();
  const bytesPerRow = Math.round(statSync(db).size / rows);

  // Hot path: span.end() with and without the ledger, interleaved.
  const SPANS = quick ? 5_000 : 20_000;
  const withLedger = new CostLedger({ url: `sqlite:${join(dir, 'hot.db')}` });
  const plain = tracerWith([]);
  const led = tracerWith([withLedger]);
  const rounds: { plain: number; ledger: number }[] = [];
  for (let round = 0; round < (quick ? 4 : 10); round += 1) {
    const t0 = performance.now();
    for (let i = 0; i < SPANS; i += 1) endChat(plain.tracer, i);
    const t1 = performance.now();
    for (let i = 0; i < SPANS; i += 1) endChat(led.tracer, i);
    const t2 = performance.now();
    rounds.push({
      plain: ((t1 - t0) * 1e6) / SPANS,
      ledger: ((t2 - t1) * 1e6) / SPANS,
    });
    await withLedger.forceFlush(); // written between rounds, not timed
  }
  const median = (xs: number[]): number =>
    xs.sort((a, b) => a - b)[xs.length >> 1] as number;
  const plainNs = median(rounds.map(r => r.plain));
  const ledgerNs = median(rounds.map(r => r.ledger));
  await plain.provider.shutdown();
  await led.provider.shutdown();

  // Memory a queued call holds (nothing written meanwhile).
  const QUEUED = quick ? 20_000 : 100_000;
  const held = new CostLedger({
    url: `sqlite:${join(dir, 'held.db')}`,
    flushIntervalSeconds: 3600,
    batchRows: QUEUED + 1,
    maxQueueRows: QUEUED,
  });
  const heldTracer = tracerWith([held]);
  const before = heapUsedAfterGc();
  for (let i = 0; i < QUEUED; i += 1) endChat(heldTracer.tracer, i);
  const bytesPerQueued = Math.round((heapUsedAfterGc() - before) / QUEUED);
  await heldTracer.provider.shutdown();

  const result = {
    quick,
    node: process.version,
    calls: CALLS,
    batchRows,
    rows,
    dropped: ledger.stats.dropped,
    spilled: ledger.stats.spilled,
    callsPerSecond: Math.round((CALLS / totalMs) * 1000),
    withoutLedgerCallsPerSecond: Math.round((CALLS / bareMs) * 1000),
    producedCallsPerSecond: Math.round((CALLS / producedMs) * 1000),
    drainAfterLastCallMs: Math.round(totalMs - producedMs),
    eventLoopDelayMs: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    maxWriteTransactionMs: Number(ledger.stats.maxBatchMillis.toFixed(2)),
    writeMicrosPerRow: Number(
      ((ledger.stats.writeMillis * 1000) / rows).toFixed(1),
    ),
    spanEndNs: {
      withoutLedger: Math.round(plainNs),
      withLedger: Math.round(ledgerNs),
      added: Math.round(ledgerNs - plainNs),
    },
    bytesPerQueuedCall: bytesPerQueued,
    bytesPerRowOnDisk: bytesPerRow,
    target: {
      minCallsPerSecond: TARGET,
      met: rows === CALLS && (CALLS / totalMs) * 1000 >= TARGET,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  trace.disable();
  context.disable();
  rmSync(dir, { recursive: true, force: true });
}
