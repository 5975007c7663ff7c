/**
 * Test tracing for attribution: a NodeTracerProvider with a configurable
 * CostSpanProcessor, an in-memory exporter behind it, a recording sink, and
 * the AsyncLocalStorage context manager installed globally (attribution
 * rides on the OpenTelemetry context). `shutdown()` undoes the globals.
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
import type {
  CostRecord,
  CostSink,
  CostSpanProcessorOptions,
} from '../../src/index.js';

export class RecordingSink implements CostSink {
  readonly records: CostRecord[] = [];
  flushes = 0;
  shutdowns = 0;
  record(record: CostRecord): void {
    this.records.push(record);
  }
  forceFlush(): Promise<void> {
    this.flushes += 1;
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.shutdowns += 1;
    return Promise.resolve();
  }
}

export interface AttributionTracing {
  readonly provider: NodeTracerProvider;
  readonly exporter: InMemorySpanExporter;
  readonly processor: CostSpanProcessor;
  readonly sink: RecordingSink;
  tracer(name?: string): Tracer;
  spans(): Promise<ReadableSpan[]>;
  shutdown(): Promise<void>;
}

export function setupAttributionTracing(
  options: CostSpanProcessorOptions & { registerGlobally?: boolean } = {},
): AttributionTracing {
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

/** Starts and ends an OTel GenAI chat span (the contrib/AI SDK v7 shape). */
export function chatSpan(
  tracer: Tracer,
  options: {
    model?: string;
    input?: number;
    output?: number;
    attributes?: Record<string, string | number>;
  } = {},
): ReadableSpan {
  const model = options.model ?? 'gpt-4o-mini';
  const span = tracer.startSpan(`chat ${model}`, {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      ...options.attributes,
    },
  });
  span.setAttributes({
    'gen_ai.response.model': model,
    'gen_ai.usage.input_tokens': options.input ?? 1000,
    'gen_ai.usage.output_tokens': options.output ?? 100,
  });
  span.end();
  return span as unknown as ReadableSpan;
}

/** Attributes as a plain record, for assertions. */
export function attrs(span: ReadableSpan): Record<string, unknown> {
  return { ...span.attributes };
}
