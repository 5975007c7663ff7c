/**
 * Validate + scan (and optionally enrich + write) of the bench's batches, this tree against a
 * reference copy (`--before <dir>`), interleaved round by round; CPU ns a span, paired median.
 *   npx tsx bench/harness/gw2-scan-ab.ts --before /tmp/ab19 [--rounds 60] [--full]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  captureBatches,
  traceIdOffsets,
  withFreshTraceIds,
} from '../gateway-throughput.js';
import { median } from './stats.js';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    rounds: { type: 'string', default: '60' },
    batches: { type: 'string', default: '16' },
    full: { type: 'boolean', default: false },
  },
});
const before = resolve(values.before ?? '/tmp/ab19');
const rounds = Number(values.rounds);
const perRound = Number(values.batches);

interface Copy {
  name: string;
  run(raw: Buffer): void;
}

async function copyOf(name: string, root: string): Promise<Copy> {
  const imp = (p: string) => import(pathToFileURL(resolve(root, p)).href);
  const scan = await imp('src/gateway/otlp/scan-export-trace-request.ts');
  const limits = (await imp('src/gateway/otlp/decode-limits.ts'))
    .DEFAULT_DECODE_LIMITS;
  const write = await imp('src/gateway/otlp/write-export-trace-request.ts');
  const { RequestEnricher } = await imp(
    'src/gateway/pipeline/request-enricher.ts',
  );
  const { createCostPipeline } = await imp('src/pipeline/cost-pipeline.ts');
  const enricher = new RequestEnricher({
    pipeline: createCostPipeline(),
    traceWindowMillis: 300_000,
    maxTraces: 50_000,
  });
  const full = values.full;
  return {
    name,
    run(raw) {
      const scanned = scan.scanExportTraceRequest(raw, limits);
      if (full) {
        enricher.enrich(scanned, Date.now());
        write.writeExportTraceRequest(scanned);
      }
    },
  };
}

const bodies = await captureBatches(16);
const offsets = bodies.map(traceIdOffsets);
const copies = [
  await copyOf('after', process.cwd()),
  await copyOf('before', before),
];
let delivered = 0;
const spansOf = (i: number) => (offsets[i % bodies.length] as number[]).length;
const times = new Map<string, number[]>(copies.map(c => [c.name, []]));
for (let round = 0; round < rounds + 10; round++) {
  const order = round % 2 === 0 ? copies : [...copies].reverse();
  for (const copy of order) {
    const raws: Buffer[] = [];
    let spans = 0;
    for (let b = 0; b < perRound; b++) {
      delivered += 1;
      const i = delivered % bodies.length;
      raws.push(
        withFreshTraceIds(
          bodies[i] as Buffer,
          offsets[i] as number[],
          delivered,
        ),
      );
      spans += spansOf(i);
    }
    const start = process.cpuUsage();
    for (const raw of raws) copy.run(raw);
    const cpu = process.cpuUsage(start);
    if (round >= 10)
      times.get(copy.name)!.push(((cpu.user + cpu.system) * 1000) / spans);
    await new Promise(r => setImmediate(r));
  }
}
const a = times.get('after')!;
const b = times.get('before')!;
console.log(
  `${values.full ? 'scan+enrich+write' : 'validate+scan'}: after ${median(a).toFixed(0)} ns, before ${median(b).toFixed(0)} ns, ` +
    `paired median ${median(a.map((x, i) => x - (b[i] as number))).toFixed(0)} ns a span (${rounds} rounds)`,
);
