/**
 * A small driver for `node --cpu-prof`: runs the gateway's synchronous path
 * (validate, scan, price, write) in process on the bench's mixed batches
 * (bench/gateway-throughput.ts: real OTLP serializer, 516 spans a batch)
 * for a fixed time, long enough for a profile.
 *
 *   npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/harness/gateway-profile-driver.ts [seconds] [read|http]
 *
 * `read`: `if-marked` (the scan path, default) or `all` (every span decoded).
 * `http`: the whole gateway instead (a gzip protobuf POST to it on
 * 127.0.0.1, one at a time, forwarded gzipped to a local sink), as the
 * bench's `gateway over HTTP` variant.
 * Each batch gets fresh trace ids before it is scanned, as in the bench
 * (outside the timed part; the profile sees it as a copy and a few XORs).
 */
import { Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startGateway } from '../../src/gateway/cost-gateway.js';
import { createCostPipeline } from '../../src/pipeline/cost-pipeline.js';
import { DEFAULT_DECODE_LIMITS } from '../../src/gateway/otlp/decode-limits.js';
import type { SpanAttributesRead } from '../../src/gateway/otlp/read-otlp-span.js';
import { scanExportTraceRequest } from '../../src/gateway/otlp/scan-export-trace-request.js';
import { writeExportTraceRequest } from '../../src/gateway/otlp/write-export-trace-request.js';
import { RequestEnricher } from '../../src/gateway/pipeline/request-enricher.js';
import {
  captureBatches,
  post,
  startSink,
  traceIdOffsets,
  withFreshTraceIds,
} from '../gateway-throughput.js';

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 20);
  const mode = process.argv[3] ?? 'if-marked';
  const bodies = await captureBatches(16);
  const offsets = bodies.map(traceIdOffsets);
  if (mode === 'http') {
    await overHttp(seconds, bodies, offsets);
    return;
  }
  const read = mode as SpanAttributesRead;
  const enricher = new RequestEnricher({
    pipeline: createCostPipeline(),
    traceWindowMillis: 300_000,
    maxTraces: 50_000,
  });
  const deadline = Date.now() + seconds * 1000;
  let delivered = 0;
  let spans = 0;
  let busyNs = 0;
  const cpuStart = process.cpuUsage();
  while (Date.now() < deadline) {
    const index = delivered % bodies.length;
    delivered += 1;
    const raw = withFreshTraceIds(
      bodies[index] as Buffer,
      offsets[index] as number[],
      delivered,
    );
    const start = process.hrtime.bigint();
    const scanned = scanExportTraceRequest(raw, DEFAULT_DECODE_LIMITS, read);
    enricher.enrich(scanned, Date.now());
    writeExportTraceRequest(scanned);
    busyNs += Number(process.hrtime.bigint() - start);
    spans += (offsets[index] as number[]).length;
    if (delivered % 20 === 0) await new Promise(r => setImmediate(r));
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuNs = (cpu.user + cpu.system) * 1000;
  process.stderr.write(
    `[gateway-profile] read=${read}: ${delivered} batches, ${spans} spans, ` +
      `${(busyNs / spans).toFixed(0)} ns wall per span (timed part), ` +
      `${(cpuNs / spans).toFixed(0)} ns CPU per span (whole loop)\n`,
  );
}

async function overHttp(
  seconds: number,
  bodies: readonly Buffer[],
  offsets: readonly number[][],
): Promise<void> {
  const sink = await startSink();
  const gateway = await startGateway({
    listen: { host: '127.0.0.1', port: 0 },
    forward: sink.url,
    env: {},
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = Date.now() + seconds * 1000;
  let delivered = 0;
  let spans = 0;
  let gzipNs = 0;
  const cpuStart = process.cpuUsage();
  while (Date.now() < deadline) {
    const index = delivered % bodies.length;
    delivered += 1;
    const gzipStart = process.hrtime.bigint();
    const raw = withFreshTraceIds(
      bodies[index] as Buffer,
      offsets[index] as number[],
      delivered,
    );
    const body = gzipSync(raw);
    gzipNs += Number(process.hrtime.bigint() - gzipStart);
    const status = await post(gateway.url, body, agent);
    if (status !== 200) throw new Error(`gateway answered ${status}`);
    spans += (offsets[index] as number[]).length;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuNs = (cpu.user + cpu.system) * 1000;
  process.stderr.write(
    `[gateway-profile] http: ${delivered} batches, ${spans} spans, ` +
      `${(cpuNs / spans).toFixed(0)} ns CPU per span (whole loop, ` +
      `${(gzipNs / spans).toFixed(0)} ns of it the sender's copy and gzip)\n`,
  );
  agent.destroy();
  await gateway.shutdown();
  await sink.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
