/**
 * `CostEnrichingSpanExporter` (for SDKs without `onEnding`) wrapping a no-op
 * exporter, against the no-op exporter alone: the cost per exported span,
 * same configuration as the processor (metrics on). Each timed export gets a
 * fresh batch of finished, unpriced spans of the realistic mix (1 LLM span
 * per 20). Measured in the steady state: the wrapper first sees more spans
 * than its bounded ancestor index holds (`maxTrackedSpans`).
 */
import { ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { CostEnrichingSpanExporter } from '../../src/index.js';
import { measureInterleaved, type Variant } from '../harness/interleaved.js';
import { round } from '../harness/stats.js';
import { createMetricsSink } from '../workloads/cost-stack.js';
import { NoopSpanExporter } from '../workloads/noop-span-exporter.js';
import { baggageContext } from '../workloads/pipelines.js';
import {
  endMixedTrace,
  MIX_SPANS_PER_TRACE,
  type TracerSource,
} from '../workloads/span-driver.js';

export interface ExporterWrapperResult {
  readonly available: boolean;
  readonly rounds: number;
  readonly spansPerExport: number;
  /** Spans exported through the wrapper before measuring. */
  readonly warmUpSpans: number;
  readonly noopNsPerSpan: number;
  readonly wrapperNsPerSpan: number;
  readonly addedNsPerSpan: number;
}

export interface ExporterWrapperOptions {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Traces of 20 spans per export. */
  readonly tracesPerExport: number;
  /** Spans exported before measuring (default `maxTrackedSpans`, 100,000). */
  readonly warmUpSpans: number;
}

/** Finished spans from a provider with no cost processor at all. */
function spanFactory(): (traces: number) => ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const source: TracerSource = { tracer: scope => provider.getTracer(scope) };
  const request = baggageContext('user-42', 'acme');
  return traces => {
    memory.reset();
    for (let i = 0; i < traces; i++) endMixedTrace(source, request, i);
    return memory.getFinishedSpans().slice();
  };
}

function exportNow(exporter: SpanExporter, spans: ReadableSpan[]): void {
  exporter.export(spans, result => {
    if (result.code !== ExportResultCode.SUCCESS) {
      throw new Error('exporter wrapper bench: export failed');
    }
  });
}

export async function runExporterWrapper(
  options: ExporterWrapperOptions,
): Promise<ExporterWrapperResult> {
  const make = spanFactory();
  const plain = new NoopSpanExporter();
  const { sinks, meterProvider } = createMetricsSink();
  const wrapped = new CostEnrichingSpanExporter(new NoopSpanExporter(), {
    sinks,
  });
  const traces = options.tracesPerExport;
  for (let done = 0; done < options.warmUpSpans;) {
    const batch = make(traces);
    exportNow(wrapped, batch);
    done += batch.length;
  }
  const batches: ReadableSpan[][] = [[], []];
  const variant = (
    name: string,
    index: number,
    exporter: SpanExporter,
  ): Variant => ({
    name,
    prepare: count => {
      batches[index] = make(count);
    },
    run: () => exportNow(exporter, batches[index] ?? []),
  });
  const result = await measureInterleaved(
    [variant('noop', 0, plain), variant('wrapper', 1, wrapped)],
    {
      rounds: options.rounds,
      warmupRounds: options.warmupRounds,
      opsPerRound: traces,
      unitsPerOp: MIX_SPANS_PER_TRACE,
    },
  );
  await wrapped.shutdown();
  await meterProvider.shutdown();
  const [noop, wrapper] = result.timings;
  const [added] = result.comparisons;
  return {
    available: true,
    rounds: result.rounds,
    spansPerExport: traces * MIX_SPANS_PER_TRACE,
    warmUpSpans: options.warmUpSpans,
    noopNsPerSpan: round(noop?.medianNs ?? Number.NaN),
    wrapperNsPerSpan: round(wrapper?.medianNs ?? Number.NaN),
    addedNsPerSpan: round(added?.addedNs ?? Number.NaN),
  };
}
