/**
 * The before/after harnesses' shared part (`ab-compare.ts`, `floor-ab.ts`):
 * a reference copy of the library's sources loaded beside this tree, and
 * the cost stack of `createCostStack` built from either copy.
 *
 * The reference needs its `package.json` (`"type": "module"`): without it
 * tsx compiles the copy as CommonJS, every imported constant becomes a
 * getter call, and the reference measured up to ~200 ns per span slower
 * than the same sources here (a false gain for this tree).
 */
import { context, type Context } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as current from '../../src/index.js';
import { METRICS_OPTIONS } from '../workloads/cost-stack.js';
import { pipelineWith, type Pipeline } from '../workloads/pipelines.js';
import { SeriesReader } from '../workloads/series-reader.js';

/** What the harnesses use of one copy of the library. */
export type Library = Pick<
  typeof current,
  'CostSpanProcessor' | 'CostMetrics' | 'withAttribution'
>;

/** The cost stack of `createCostStack` built from one copy of the library. */
export function costPipelineOf(name: string, library: Library): Pipeline {
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

/** The reference copy in `dir`, checked to load as ESM (see above). */
export async function loadReferenceLibrary(dir: string): Promise<Library> {
  const manifest = resolve(dir, 'package.json');
  const type = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type
    : undefined;
  if (type !== 'module') {
    throw new Error(
      `${manifest} missing or not "type": "module": the reference would be compiled as CommonJS and measure slower (git archive <ref> src package.json tsconfig.json)`,
    );
  }
  return (await import(
    pathToFileURL(resolve(dir, 'src/index.ts')).href
  )) as Library;
}
