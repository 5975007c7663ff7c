/**
 * Before/after in one process: `CostSpanProcessor` of this tree and of a
 * reference copy of the library's sources, interleaved round by round with
 * the baseline and both floors, so machine load hits every variant alike.
 *
 *   mkdir /tmp/before && git archive <ref> src package.json tsconfig.json | tar -x -C /tmp/before
 *   ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npx tsx bench/harness/ab-compare.ts --before /tmp/before [--rounds 100] [--spans 500] [--only gen_ai_chat,non_llm]
 *
 * Prints, per workload, what each processor adds beyond its floor (the
 * write floor for LLM spans, a do-nothing processor for the others) and
 * what this tree adds or saves against the reference (per-round pairs).
 *
 * The reference needs its `package.json` (`"type": "module"`): without it
 * tsx compiles the copy as CommonJS, every imported constant becomes a
 * getter call, and the reference measured up to ~200 ns per span slower
 * than the same sources here (a false gain for this tree).
 */
import type { Context } from '@opentelemetry/api';
import { parseArgs } from 'node:util';
import * as current from '../../src/index.js';
import { WORKLOADS } from '../suites/span-overhead.js';
import {
  checkShapes,
  REQUEST_TENANT,
  REQUEST_USER,
} from '../workloads/check-shapes.js';
import { createCostStack } from '../workloads/cost-stack.js';
import {
  baselinePipeline,
  doNothingPipeline,
  writeFloorPipeline,
} from '../workloads/pipelines.js';
import {
  GEN_AI_CHAT_TIERED,
  LLM_SHAPES,
  NON_LLM_SHAPES,
} from '../workloads/span-shapes.js';
import { installContextManager } from './context-manager.js';
import { costPipelineOf, loadReferenceLibrary } from './reference-library.js';
import { measureInterleaved } from './interleaved.js';

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
  const reference = await loadReferenceLibrary(values.before);
  installContextManager();
  const stack = createCostStack();
  const checks = await checkShapes(stack, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await stack.shutdown();
  const pipelines = [
    baselinePipeline(),
    costPipelineOf('after', current),
    costPipelineOf('before', reference),
    writeFloorPipeline(checks),
    doNothingPipeline(),
  ];
  const requests = pipelines.map(p =>
    p.requestContext(REQUEST_USER, REQUEST_TENANT),
  );
  const rounds = Number(values.rounds);
  const only = values.only?.split(',');
  process.stdout.write(
    '| workload | floor | before: added over floor | after: added over floor | after - before |\n| --- | --- | ---: | ---: | ---: |\n',
  );
  for (const workload of WORKLOADS) {
    if (only !== undefined && !only.includes(workload.id)) continue;
    const result = await measureInterleaved(
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
    const floor = workload.llm ? 3 : 4;
    const ns = (value: number) => Math.round(value).toLocaleString('en-US');
    process.stdout.write(
      `| ${workload.id} | ${workload.llm ? 'write floor' : 'do-nothing'} | ${ns(result.compare(2, floor).addedNs)} | ${ns(result.compare(1, floor).addedNs)} | ${ns(result.compare(1, 2).addedNs)} |\n`,
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
