/**
 * Per-test tracing: a `NodeTracerProvider` with a `CostSpanProcessor` (the
 * options given, `env: {}` unless set, and a `RecordingSink` first among its
 * sinks) and an in-memory exporter behind it, so the exporter sees the
 * attributes the processor wrote in `onEnding`.
 *
 * Parent/child links and attribution need a global context manager even when
 * a tracer is passed explicitly (the AI SDK calls `context.with(...)` on the
 * global API; attribution rides on the OpenTelemetry context), so one is
 * installed here; `provider.register()` is only used when a test needs the
 * global tracer provider (e.g. an SDK called without a tracer).
 * `shutdown()` undoes both.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CostSpanProcessor } from '../../src/index.js';
import type { CostSpanProcessorOptions } from '../../src/index.js';
import { RecordingSink } from './recording-sink.js';

export interface TestTracing {
  readonly provider: NodeTracerProvider;
  readonly exporter: InMemorySpanExporter;
  readonly processor: CostSpanProcessor;
  /** Every `CostRecord` the processor gave its sinks. */
  readonly sink: RecordingSink;
  /** A tracer from the test provider (instrumentation scope `name`). */
  tracer(name?: string): Tracer;
  /** Finished spans, after flushing the provider. */
  spans(): Promise<ReadableSpan[]>;
  shutdown(): Promise<void>;
}

export type TracingOptions = CostSpanProcessorOptions & {
  /** Also register the provider as the global tracer provider. */
  readonly registerGlobally?: boolean;
};

export function setupTracing(options: TracingOptions = {}): TestTracing {
  const { registerGlobally, ...processorOptions } = options;
  const sink = new RecordingSink();
  const exporter = new InMemorySpanExporter();
  const processor = new CostSpanProcessor({
    env: {},
    ...processorOptions,
    sinks: [sink, ...(processorOptions.sinks ?? [])],
  });
  const provider = new NodeTracerProvider({
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
  });
  if (registerGlobally === true) {
    provider.register({
      contextManager: new AsyncLocalStorageContextManager(),
    });
  } else {
    context.setGlobalContextManager(
      new AsyncLocalStorageContextManager().enable(),
    );
  }
  return {
    provider,
    exporter,
    processor,
    sink,
    tracer: (name = 'test') => provider.getTracer(name),
    async spans() {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    async shutdown() {
      await provider.shutdown();
      exporter.reset();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Spans whose name is `name` (exact) or matches `name` (RegExp). */
export function spansNamed(
  spans: readonly ReadableSpan[],
  name: string | RegExp,
): ReadableSpan[] {
  return spans.filter(span =>
    typeof name === 'string' ? span.name === name : name.test(span.name),
  );
}

/** The one span named `name`; throws when there are none or several. */
export function onlySpanNamed(
  spans: readonly ReadableSpan[],
  name: string | RegExp,
): ReadableSpan {
  const found = spansNamed(spans, name);
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one span named ${String(name)}, found ${found.length}: ${spans.map(s => s.name).join(', ')}`,
    );
  }
  return found[0] as ReadableSpan;
}

/** A compact dump of names and attributes, for failure messages. */
export function describeSpans(spans: readonly ReadableSpan[]): string {
  return spans
    .map(span => {
      const attrs = Object.entries(span.attributes)
        .filter(([key]) => /usage|model|provider|system|operation/.test(key))
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(' ');
      return `${span.name} [${span.instrumentationScope.name}] ${attrs}`;
    })
    .join('\n');
}
