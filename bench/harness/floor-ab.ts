/**
 * `ab-compare.ts` on two clocks (`floor-interleaved.ts`): this tree's
 * `CostSpanProcessor` against a reference copy of the sources, and the
 * write floor, interleaved round by round, on the LLM workloads. CPU-time
 * pairs hold on a shared machine where wall-time pairs of descheduled
 * rounds do not (see floor-interleaved.ts):
 *
 *   mkdir /tmp/before && git archive <ref> src package.json tsconfig.json | tar -x -C /tmp/before
 *   ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npx tsx bench/harness/floor-ab.ts --before /tmp/before [--rounds 200] [--spans 500] [--only gen_ai_chat]
 *
 * Prints, per workload, ns per span: what each adds over the write floor
 * (CPU), and after - before (CPU, and wall): medians of per-round pairs.
 */
import { context, type Context } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as current from '../../src/index.js';
import { WORKLOADS } from '../suites/span-overhead.js';
import {
  checkShapes,
  REQUEST_TENANT,
  REQUEST_USER,
} from '../workloads/check-shapes.js';
import { createCostStack, METRICS_OPTIONS } from '../workloads/cost-stack.js';
import {
  writeFloorPipeline,
  pipelineWith,
  type Pipeline,
} from '../workloads/pipelines.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
} from '../workloads/span-shapes.js';
import { installContextManager } from './context-manager.js';
import { measureTwoClocks } from './floor-interleaved.js';
import { SeriesReader } from '../workloads/series-reader.js';

type Library = Pick<
  typeof current,
  'CostSpanProcessor' | 'CostMetrics' | 'withAttribution'
>;

/** The cost stack of `createCostStack` built from one copy of the library. */
function costPipelineOf(name: string, library: Library): Pipeline {
  const meterProvider = new MeterProvider({ readers: [new SeriesReader()] });
  const metrics = new library.CostMetrics({
    ...METRICS_OPTIONS,
    meterProvider,
  });
  const processor = new library.CostSpanProcessor({ sinks: [metrics] });
  return pipelineWith(name, [processor], {
    attribute: (parent: Context, userId: string, tenantId: string) =>
      context.with(parent, () =>
        library.withAttribution({ userId, tenantId }, () => context.active()),
      ),
    shutdown: async () => {
      await processor.shutdown();
      await meterProvider.shutdown();
    },
  });
}

/** The reference must load as ESM, as this tree does (see above). */
function assertEsmCopy(dir: string): void {
  const manifest = resolve(dir, 'package.json');
  const type = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type
    : undefined;
  if (type !== 'module') {
    throw new Error(
      `${manifest} missing or not "type": "module": the reference would be compiled as CommonJS and measure slower (git archive <ref> src package.json tsconfig.json)`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      before: { type: 'string' },
      rounds: { type: 'string', default: '100' },
      spans: { type: 'string', default: '500' },
      only: { type: 'string' },
    },
  });
  if (values.before === undefined)
    throw new Error('--before <dir> is required');
  assertEsmCopy(values.before);
  const reference = (await import(
    pathToFileURL(resolve(values.before, 'src/index.ts')).href
  )) as Library;
  installContextManager();
  const stack = createCostStack();
  const checks = await checkShapes(stack, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await stack.shutdown();
  const pipelines = [
    costPipelineOf('after', current),
    costPipelineOf('before', reference),
    writeFloorPipeline(checks),
  ];
  const requests = pipelines.map(p =>
    p.requestContext(REQUEST_USER, REQUEST_TENANT),
  );
  const rounds = Number(values.rounds);
  const only = values.only?.split(',');
  process.stdout.write(
    '| workload | before over write floor (CPU) | after over write floor (CPU) | after - before (CPU) | after - before (wall) |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  for (const workload of WORKLOADS) {
    if (only !== undefined && !only.includes(workload.id)) continue;
    if (!workload.llm) continue;
    const result = await measureTwoClocks(
      pipelines.map((pipeline, i) => ({
        name: pipeline.name,
        run: (ops: number) =>
          workload.run(pipeline, ops, requests[i] as Context),
      })),
      {
        rounds,
        warmupRounds: Math.max(2, Math.round(rounds / 10)),
        opsPerRound: Math.max(
          1,
          Math.round(Number(values.spans) / workload.spansPerOp),
        ),
        unitsPerOp: workload.spansPerOp,
      },
    );
    const ns = (value: number) => Math.round(value).toLocaleString('en-US');
    process.stdout.write(
      `| ${workload.id} | ${ns(result.cpu(1, 2))} | ${ns(result.cpu(0, 2))} | ${ns(result.cpu(0, 1))} | ${ns(result.wall(0, 1))} |\n`,
    );
  }
  for (const pipeline of pipelines) await pipeline.shutdown();
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
