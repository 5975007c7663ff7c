/**
 * The tracer providers under comparison. All export through a
 * `BatchSpanProcessor` into a no-op exporter, so the figures are what the
 * application thread pays per span.
 */
import {
  propagation,
  ROOT_CONTEXT,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import {
  ALLOW_ALL_BAGGAGE_KEYS,
  BaggageSpanProcessor,
} from '@opentelemetry/baggage-span-processor';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ShapeCheck } from './check-shapes.js';
import { createCostStack, type CostStack } from './cost-stack.js';
import { DoNothingProcessor } from './do-nothing-processor.js';
import { NoopSpanExporter } from './noop-span-exporter.js';
import { WriteFloorProcessor } from './write-floor-processor.js';

export interface Pipeline {
  readonly name: string;
  readonly provider: BasicTracerProvider;
  /** Present on the pipeline with our processor. */
  readonly cost: CostStack | undefined;
  tracer(scope: string): Tracer;
  /** The context a request's spans descend from (baggage, attribution). */
  requestContext(userId: string, tenantId: string): Context;
  shutdown(): Promise<void>;
}

/** Baggage every request carries, so the peer processor has work to do. */
export function baggageContext(userId: string, tenantId: string): Context {
  return propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({
      'user.id': { value: userId },
      'tenant.id': { value: tenantId },
      'session.id': { value: 'session-7f3a' },
    }),
  );
}

/** What a pipeline needs of a cost stack: attribution and shutdown. */
export type CostHooks = Pick<CostStack, 'attribute' | 'shutdown'>;

/** A pipeline with `processors` in front of the batch processor. */
export function pipelineWith(
  name: string,
  processors: SpanProcessor[],
  hooks: CostHooks | undefined,
): Pipeline {
  return pipeline(name, processors, undefined, hooks);
}

function pipeline(
  name: string,
  processors: SpanProcessor[],
  cost: CostStack | undefined,
  hooks: CostHooks | undefined = cost,
): Pipeline {
  const exporter = new NoopSpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [...processors, new BatchSpanProcessor(exporter)],
  });
  const tracers = new Map<string, Tracer>();
  return {
    name,
    provider,
    cost,
    tracer(scope) {
      let tracer = tracers.get(scope);
      if (tracer === undefined) {
        tracer = provider.getTracer(scope);
        tracers.set(scope, tracer);
      }
      return tracer;
    },
    requestContext(userId, tenantId) {
      const base = baggageContext(userId, tenantId);
      return hooks === undefined
        ? base
        : hooks.attribute(base, userId, tenantId);
    },
    async shutdown() {
      await provider.shutdown();
      await hooks?.shutdown();
    },
  };
}

/** `BasicTracerProvider` + `BatchSpanProcessor` + no-op exporter. */
export function baselinePipeline(): Pipeline {
  return pipeline('baseline', [], undefined);
}

/** The baseline with `CostSpanProcessor` added in front. */
export function costPipeline(): Pipeline {
  const cost = createCostStack();
  return pipeline('cost', [cost.processor], cost);
}

/** The baseline plus only the attribute writes of `CostSpanProcessor`. */
export function writeFloorPipeline(checks: readonly ShapeCheck[]): Pipeline {
  return pipeline('write_floor', [new WriteFloorProcessor(checks)], undefined);
}

/** The baseline plus a processor whose hooks do nothing. */
export function doNothingPipeline(): Pipeline {
  return pipeline('do_nothing', [new DoNothingProcessor()], undefined);
}

/** The baseline with `BaggageSpanProcessor(ALLOW_ALL_BAGGAGE_KEYS)`. */
export function baggagePeerPipeline(): Pipeline {
  return pipeline(
    'baggage_peer',
    [new BaggageSpanProcessor(ALLOW_ALL_BAGGAGE_KEYS)],
    undefined,
  );
}
