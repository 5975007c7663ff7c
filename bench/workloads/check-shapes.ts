/**
 * Guards the benchmark against measuring the wrong path: every LLM shape
 * must come out priced from the table, every other shape untouched. The
 * shapes end in the very context the measured requests use (baggage and,
 * when on, attribution for `user-42` of `acme`), so what is recorded as
 * written, which the write floor then writes, includes the identity
 * attributes the processor adds there.
 */
import { trace, type Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_COST, ATTR_COST_SOURCE } from '../../src/semconv.js';
import type { CostStack } from './cost-stack.js';
import { baggageContext } from './pipelines.js';
import type { SpanShape } from './span-shapes.js';

export interface ShapeCheck {
  readonly shape: string;
  readonly scope: string;
  readonly name: string;
  readonly costUsd: number | undefined;
  readonly source: string | undefined;
  /** Every attribute the processor added or changed on the span. */
  readonly written: Attributes;
}

/** The user and tenant of every measured request (see the suites). */
export const REQUEST_USER = 'user-42';
export const REQUEST_TENANT = 'acme';

export async function checkShapes(
  stack: CostStack,
  shapes: readonly SpanShape[],
): Promise<ShapeCheck[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [stack.processor, new SimpleSpanProcessor(exporter)],
  });
  const checks: ShapeCheck[] = [];
  const request = stack.attribute(
    baggageContext(REQUEST_USER, REQUEST_TENANT),
    REQUEST_USER,
    REQUEST_TENANT,
  );
  for (const shape of shapes) {
    const tracer = provider.getTracer(shape.scope);
    const root = tracer.startSpan('GET /check', {}, request);
    const span = tracer.startSpan(
      shape.name,
      { kind: shape.kind, attributes: shape.startAttributes },
      trace.setSpan(request, root),
    );
    span.setAttributes(shape.endAttributes);
    if (shape.responseIdKey !== undefined) {
      span.setAttribute(shape.responseIdKey, `check-${shape.id}`);
    }
    span.end();
    root.end();
    const ended = exporter.getFinishedSpans().find(s => s.name === shape.name);
    const given: Attributes = {
      ...shape.startAttributes,
      ...shape.endAttributes,
    };
    const written: Attributes = {};
    for (const [key, value] of Object.entries(ended?.attributes ?? {})) {
      if (key === shape.responseIdKey) continue;
      if (JSON.stringify(given[key]) !== JSON.stringify(value)) {
        written[key] = value;
      }
    }
    const cost = ended?.attributes[ATTR_COST];
    const source = ended?.attributes[ATTR_COST_SOURCE];
    checks.push({
      shape: shape.id,
      scope: shape.scope,
      name: shape.name,
      written,
      costUsd: typeof cost === 'number' ? cost : undefined,
      source: typeof source === 'string' ? source : undefined,
    });
    const priced = source === 'price_table' && typeof cost === 'number';
    const untouched = Object.keys(written).length === 0;
    if (shape.llm ? !priced : !untouched) {
      throw new Error(
        `bench shape ${shape.id}: expected ${shape.llm ? 'a table price' : 'no cost'}, got source=${String(source)} cost=${String(cost)}`,
      );
    }
    exporter.reset();
  }
  await provider.forceFlush();
  return checks;
}
