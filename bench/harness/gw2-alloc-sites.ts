/**
 * Where the gateway's in-process path (validate, scan, enrich, write) of
 * the bench's batches allocates, by function: V8's sampling heap profiler
 * with the objects collections freed kept in. Bytes a span, largest first.
 *
 *   npx tsx bench/harness/gw2-alloc-sites.ts [batches]
 */
import { Session } from 'node:inspector/promises';
import { DEFAULT_DECODE_LIMITS } from '../../src/gateway/otlp/decode-limits.js';
import { scanExportTraceRequest } from '../../src/gateway/otlp/scan-export-trace-request.js';
import { writeExportTraceRequest } from '../../src/gateway/otlp/write-export-trace-request.js';
import { RequestEnricher } from '../../src/gateway/pipeline/request-enricher.js';
import { createCostPipeline } from '../../src/pipeline/cost-pipeline.js';
import {
  captureBatches,
  traceIdOffsets,
  withFreshTraceIds,
} from '../gateway-throughput.js';

interface SampleNode {
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly selfSize: number;
  readonly children: readonly SampleNode[];
}

const batches = Number(process.argv[2] ?? 600);
const bodies = await captureBatches(16);
const offsets = bodies.map(traceIdOffsets);
const enricher = new RequestEnricher({
  pipeline: createCostPipeline(),
  traceWindowMillis: 300_000,
  maxTraces: 50_000,
});
let delivered = 0;
let spans = 0;
function run(count: number): void {
  for (let i = 0; i < count; i++) {
    const index = delivered % bodies.length;
    delivered += 1;
    const raw = withFreshTraceIds(
      bodies[index] as Buffer,
      offsets[index] as number[],
      delivered,
    );
    const scanned = scanExportTraceRequest(raw, DEFAULT_DECODE_LIMITS);
    enricher.enrich(scanned, Date.now());
    writeExportTraceRequest(scanned);
    spans += (offsets[index] as number[]).length;
  }
}
run(200);
spans = 0;
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
run(batches);
const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
  profile: { head: SampleNode };
};
const self = new Map<string, number>();
let total = 0;
const name = (node: SampleNode): string =>
  `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').slice(-2).join('/')}`;
const walk = (node: SampleNode, parent = ''): void => {
  const builtin = node.callFrame.url === '';
  const key = builtin ? `${name(node)} <- ${parent}` : name(node);
  self.set(key, (self.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  node.children.forEach(child => walk(child, name(node)));
};
walk(profile.head);
console.log(`${(total / spans).toFixed(0)} bytes a span in all`);
for (const [key, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${(bytes / spans).toFixed(0).padStart(6)}  ${key}`);
}
