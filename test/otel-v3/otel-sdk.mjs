/**
 * The 2.x tracing SDK names the shared suites import
 * (`@opentelemetry/sdk-trace-base`, `@opentelemetry/sdk-trace-node`), made
 * of the real 3.x `@opentelemetry/sdk-trace` classes: vitest.config.mjs
 * points both package names here. Only constructor shapes and names change;
 * every span, processor and exporter is the 3.x one.
 *
 * - 3.x processors take an options object: `new SimpleSpanProcessor({
 *   exporter })`, `new BatchSpanProcessor({ exporter, ...config })`; the
 *   2.x positional form is translated here.
 * - 3.x has one `TracerProvider` (no `BasicTracerProvider` or
 *   `NodeTracerProvider`) and no `register()`: `register()` below sets the
 *   global context manager, propagator and tracer provider through the API,
 *   as a 3.x application (or NodeSDK) does.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import {
  BatchSpanProcessor as BatchSpanProcessorV3,
  SimpleSpanProcessor as SimpleSpanProcessorV3,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  NoopSpanProcessor,
  ParentBasedSampler,
  RandomIdGenerator,
  SamplingDecision,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';

/** A 3.x options object already, or a 2.x exporter (+ config). */
const options = (exporterOrOptions, config) =>
  typeof exporterOrOptions?.export === 'function'
    ? { ...config, exporter: exporterOrOptions }
    : exporterOrOptions;

export class SimpleSpanProcessor extends SimpleSpanProcessorV3 {
  constructor(exporterOrOptions) {
    super(options(exporterOrOptions));
  }
}

export class BatchSpanProcessor extends BatchSpanProcessorV3 {
  constructor(exporterOrOptions, config) {
    super(options(exporterOrOptions, config));
  }
}

export class BasicTracerProvider extends TracerProvider {}

export class NodeTracerProvider extends TracerProvider {
  /** As 2.x: `undefined` registers the default, `null` nothing. */
  register(config = {}) {
    const { contextManager, propagator } = config;
    if (contextManager !== null) {
      const manager = contextManager ?? new AsyncLocalStorageContextManager();
      context.setGlobalContextManager(manager.enable());
    }
    if (propagator !== null) {
      propagation.setGlobalPropagator(
        propagator ??
          new CompositePropagator({
            propagators: [
              new W3CTraceContextPropagator(),
              new W3CBaggagePropagator(),
            ],
          }),
      );
    }
    trace.setGlobalTracerProvider(this);
  }
}
