/**
 * What the gateway over HTTP costs beside its floors, in one process with
 * the bench's batches (bench/gateway-throughput.ts: real OTLP serializer,
 * 516 spans a batch, 130 priced), client and sink, variants interleaved
 * round by round (rotating order) so machine load hits them alike:
 *
 *   npx tsx bench/harness/gateway-http-floor.ts [--rounds 40] [--batches 8] [--before <dir>] [--only a,b]
 *
 * - `proxy`: reads the gzip body, forwards the same bytes (the floor of any
 *   gateway over HTTP, as in the bench);
 * - `zlib floor`: gunzips the body as the gateway does (readRequestBody),
 *   gzips it again and forwards it with the gateway's own client
 *   (NextHopClient), answers 200 with an OTLP response: no decoding;
 * - `walk floor`: the same plus the gateway's validation walk, the scan and
 *   the writer (a copy of the request with no update): everything but
 *   pricing;
 * - `priced floor`: the walk floor plus pricing (enrich, and commit once
 *   the next hop answered) with the gateway's pipeline settings: the
 *   gateway's work without its admission (tickets, queue, decode lane and
 *   its yields, stats);
 * - `gateway`: the whole gateway (startGateway) of this tree;
 * - `gateway (before)`: the same from a reference copy of the sources
 *   (`--before`, made with `git archive <ref> src package.json
 *   tsconfig.json` plus a node_modules link, as for ab-compare.ts);
 * - `in process`: validate, scan, price (the gateway's pipeline settings),
 *   write, with a turn of the event loop after each batch (as the bench's
 *   `scan path`, which prices with the default settings);
 * - `in process walk`: the same without pricing (the walk floor's work
 *   in process).
 *
 * Figures: process CPU time per span (all threads, zlib included), the
 * median over rounds, and the median of per-round differences against the
 * gateway (paired). Every delivery has fresh trace ids (prepared and
 * gzipped outside the timed part); the gzip of the sender is level 6, as
 * the bench's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Agent as HttpAgent, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startGateway } from '../../src/gateway/cost-gateway.js';
import { NextHopClient } from '../../src/gateway/forward/next-hop-client.js';
import { replyExported } from '../../src/gateway/http/otlp-replies.js';
import { readRequestBody } from '../../src/gateway/http/read-request-body.js';
import { DEFAULT_DECODE_LIMITS } from '../../src/gateway/otlp/decode-limits.js';
import { runSteps } from '../../src/gateway/otlp/decode-lane.js';
import {
  scanExportTraceRequest,
  scanValidatedRequest,
} from '../../src/gateway/otlp/scan-export-trace-request.js';
import { walkProtobufRequest } from '../../src/gateway/otlp/validate-protobuf-request.js';
import { writeExportTraceRequest } from '../../src/gateway/otlp/write-export-trace-request.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';
import {
  RequestEnricher,
  type EnrichResult,
} from '../../src/gateway/pipeline/request-enricher.js';
import {
  createCostPipeline,
  type CostPipeline,
} from '../../src/pipeline/cost-pipeline.js';
import {
  captureBatches,
  post,
  startForwardingProxy,
  startSink,
  traceIdOffsets,
  withFreshTraceIds,
} from '../gateway-throughput.js';
import { median } from './stats.js';

interface Variant {
  readonly name: string;
  run(batches: readonly Delivery[]): Promise<void>;
}

interface Delivery {
  readonly raw: Buffer;
  readonly gzip: Buffer;
}

interface Closable {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
}

/**
 * A gateway that does no pricing: gunzips as the gateway does, optionally
 * walks (validates), scans and writes the request, gzips and forwards it
 * with the gateway's client, answers 200 once the next hop answered.
 */
async function startFloor(
  next: URL,
  work: 'zlib' | 'walk' | 'price',
): Promise<Closable> {
  const enricher = new RequestEnricher({
    pipeline: gatewayPipeline(),
    traceWindowMillis: 300_000,
    maxTraces: 50_000,
  });
  const client = new NextHopClient({
    url: next,
    headers: {},
    compression: 'gzip',
    timeoutMillis: 10_000,
    maxSockets: 8,
  });
  const limits = {
    maxBodyBytes: 16 * 1024 * 1024,
    maxDecompressedBytes: 64 * 1024 * 1024,
    timeoutMillis: 30_000,
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readRequestBody(req, 'gzip', limits);
      let payload: Uint8Array = body;
      let calls: EnrichResult['calls'] = [];
      if (work !== 'zlib') {
        runSteps(walkProtobufRequest(body, DEFAULT_DECODE_LIMITS));
        const scanned = runSteps(scanValidatedRequest(body));
        if (work === 'price')
          calls = enricher.enrich(scanned, Date.now()).calls;
        payload = writeExportTraceRequest(scanned);
      }
      const outcome = await client.send(payload);
      if (outcome.kind !== 'ok') {
        res.writeHead(503).end();
        return;
      }
      enricher.commit(calls);
      replyExported(res, 'protobuf', undefined);
    })().catch(() => res.writeHead(500).end());
  });
  const url = await listen(server);
  return {
    url,
    close: () =>
      new Promise(resolve => {
        client.close();
        server.close(() => resolve());
      }),
  };
}

/** The pipeline `startGateway` makes with no option set. */
function gatewayPipeline(): CostPipeline {
  const resolved = resolveGatewayOptions({
    listen: { host: '127.0.0.1', port: 0 },
    forward: new URL('http://127.0.0.1:1/v1/traces'),
    env: {},
  });
  return createCostPipeline({
    overrides: resolved.overrides,
    maxTrackedSpans: 8,
    sinks: [...resolved.sinks],
    identity: resolved.identity,
    rewriteAllSources: true,
    emitters: resolved.emitters,
  });
}

type StartGateway = typeof startGateway;

async function gatewayOf(start: StartGateway, next: URL): Promise<Closable> {
  const gateway = await start({
    listen: { host: '127.0.0.1', port: 0 },
    forward: next,
    env: {},
  });
  return { url: gateway.url, close: () => gateway.shutdown() };
}

/** The reference must load as ESM, as this tree does (see ab-compare.ts). */
function assertEsmCopy(dir: string): void {
  const manifest = resolvePath(dir, 'package.json');
  const type = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type
    : undefined;
  if (type !== 'module') {
    throw new Error(`${manifest} missing or not "type": "module"`);
  }
}

function nextTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '40' },
      batches: { type: 'string', default: '8' },
      before: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const batchesPerRound = Number(values.batches);
  const warmupRounds = Math.max(3, Math.round(rounds / 8));
  const bodies = await captureBatches(16);
  const offsets = bodies.map(traceIdOffsets);
  const spansOf = bodies.map((_, i) => (offsets[i] as number[]).length);

  const sink = await startSink();
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const servers: Closable[] = [];
  const overHttp = async (
    name: string,
    started: Promise<Closable>,
  ): Promise<Variant> => {
    const server = await started;
    servers.push(server);
    return {
      name,
      async run(batches) {
        for (const { gzip } of batches) {
          const status = await post(server.url, gzip, agent);
          if (status !== 200) throw new Error(`${name} answered ${status}`);
        }
      },
    };
  };
  const enricher = new RequestEnricher({
    pipeline: gatewayPipeline(),
    traceWindowMillis: 300_000,
    maxTraces: 50_000,
  });
  const only = values.only?.split(',');
  const wanted = (name: string): boolean =>
    only === undefined || only.some(part => name.includes(part));
  const variants: Variant[] = [];
  if (wanted('proxy'))
    variants.push(await overHttp('proxy', startForwardingProxy(sink.url)));
  if (wanted('zlib floor'))
    variants.push(await overHttp('zlib floor', startFloor(sink.url, 'zlib')));
  if (wanted('walk floor'))
    variants.push(await overHttp('walk floor', startFloor(sink.url, 'walk')));
  if (wanted('priced floor'))
    variants.push(
      await overHttp('priced floor', startFloor(sink.url, 'price')),
    );
  variants.push(await overHttp('gateway', gatewayOf(startGateway, sink.url)));
  if (values.before !== undefined) {
    assertEsmCopy(values.before);
    const reference = (await import(
      pathToFileURL(resolvePath(values.before, 'src/gateway/cost-gateway.ts'))
        .href
    )) as { startGateway: StartGateway };
    variants.push(
      await overHttp(
        'gateway (before)',
        gatewayOf(reference.startGateway, sink.url),
      ),
    );
  }
  if (wanted('in process walk')) {
    variants.push({
      name: 'in process walk',
      async run(batches) {
        for (const { raw } of batches) {
          writeExportTraceRequest(scanExportTraceRequest(raw));
          await nextTurn();
        }
      },
    });
  }
  if (wanted('in process')) {
    variants.push({
      name: 'in process',
      async run(batches) {
        for (const { raw } of batches) {
          const scanned = scanExportTraceRequest(raw);
          enricher.enrich(scanned, Date.now());
          writeExportTraceRequest(scanned);
          await nextTurn();
        }
      },
    });
  }

  let next = 0;
  let delivered = 0;
  const cpu = variants.map(() => [] as number[]);
  const system = variants.map(() => [] as number[]);
  const pageFaults = variants.map(() => [] as number[]);
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const variant = variants[index] as Variant;
      let spans = 0;
      const batches = Array.from({ length: batchesPerRound }, () => {
        const which = next++ % bodies.length;
        delivered += 1;
        spans += spansOf[which] as number;
        const raw = withFreshTraceIds(
          bodies[which] as Buffer,
          offsets[which] as number[],
          delivered,
        );
        return { raw, gzip: gzipSync(raw) };
      });
      await nextTurn();
      const faultsBefore = process.resourceUsage().minorPageFault;
      const start = process.cpuUsage();
      await variant.run(batches);
      const used = process.cpuUsage(start);
      const faults = process.resourceUsage().minorPageFault - faultsBefore;
      if (round >= warmupRounds) {
        cpu[index]?.push(((used.user + used.system) * 1000) / spans);
        system[index]?.push((used.system * 1000) / spans);
        pageFaults[index]?.push(faults / batchesPerRound);
      }
    }
  }
  agent.destroy();
  for (const server of servers) await server.close();
  await sink.close();

  const reference = variants.findIndex(v => v.name === 'gateway');
  const ns = (value: number): string =>
    Math.round(value).toLocaleString('en-US');
  process.stdout.write(
    `${rounds} rounds of ${batchesPerRound} batches (${spansOf[0]} spans each)\n` +
      '| variant | CPU ns a span (median) | minus gateway (median of pairs) | of it system | page faults a batch |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  variants.forEach((variant, i) => {
    const own = cpu[i] ?? [];
    const pairs = own.map(
      (value, r) => value - ((cpu[reference] ?? [])[r] ?? 0),
    );
    process.stdout.write(
      `| ${variant.name} | ${ns(median(own))} | ${i === reference ? '' : ns(median(pairs))} | ${ns(median(system[i] ?? []))} | ${ns(median(pageFaults[i] ?? []))} |\n`,
    );
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${String(error instanceof Error ? error.stack : error)}\n`,
    );
    process.exit(1);
  },
);
