/**
 * Per-test tracing: a `NodeTracerProvider` with the processor under test
 * first and an in-memory exporter behind it, so the exporter sees the
 * attributes `CostSpanProcessor` wrote in `onEnding`.
 *
 * Parent/child links need a global context manager even when a tracer is
 * passed explicitly (the AI SDK calls `context.with(...)` on the global API),
 * so one is installed here; `provider.register()` is only used when a test
 * needs the global tracer provider (e.g. an SDK called without a tracer).
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

export interface TestTracing {
  readonly provider: NodeTracerProvider;
  readonly exporter: InMemorySpanExporter;
  /** A tracer from the test provider (instrumentation scope `name`). */
  tracer(name: string): Tracer;
  /** Finished spans, after flushing the provider. */
  spans(): Promise<ReadableSpan[]>;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Also register the provider as the global tracer provider. */
  readonly registerGlobally?: boolean;
}

export function setupTracing(options: TracingOptions = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(),
      new SimpleSpanProcessor(exporter),
    ],
  });
  if (options.registerGlobally === true) {
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
    tracer: name => provider.getTracer(name),
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
