/**
 * Ends spans of a given shape through a pipeline, the way instrumentations
 * do: start with the request attributes, set the response attributes, end.
 */
import {
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  DB_CLIENT,
  HTTP_CLIENT,
  HTTP_SERVER,
  LLM_SHAPES,
  type SpanShape,
} from './span-shapes.js';

/** Where spans come from: a pipeline, or any provider's tracers. */
export interface TracerSource {
  tracer(scope: string): Tracer;
}

/** Enough distinct ids that the duplicate detector never sees one twice. */
const RESPONSE_IDS = Array.from(
  { length: 1 << 16 },
  (_, i) => `chatcmpl-bench${i.toString(36)}`,
);
let nextResponseId = 0;

/** Starts a span of `shape` under `parent` (not ended). */
export function startSpan(
  pipeline: TracerSource,
  shape: SpanShape,
  parent: Context,
): Span {
  return pipeline
    .tracer(shape.scope)
    .startSpan(
      shape.name,
      { kind: shape.kind, attributes: shape.startAttributes },
      parent,
    );
}

/** One span of `shape`, response attributes set, ended. */
export function endOneSpan(
  pipeline: TracerSource,
  shape: SpanShape,
  parent: Context,
): void {
  const span = startSpan(pipeline, shape, parent);
  span.setAttributes(shape.endAttributes);
  if (shape.responseIdKey !== undefined) {
    nextResponseId = (nextResponseId + 1) & 0xffff;
    span.setAttribute(shape.responseIdKey, RESPONSE_IDS[nextResponseId] ?? '');
  }
  span.end();
}

/**
 * `count` spans cycling through `shapes`, all children of one HTTP server
 * span (started first, ended last, included in the count).
 */
export function endSpansUnderRequest(
  pipeline: TracerSource,
  shapes: readonly SpanShape[],
  count: number,
  request: Context,
): void {
  const root = startSpan(pipeline, HTTP_SERVER, request);
  const parent = trace.setSpan(request, root);
  for (let i = 1; i < count; i++) {
    endOneSpan(pipeline, shapes[i % shapes.length] as SpanShape, parent);
  }
  root.setAttributes(HTTP_SERVER.endAttributes);
  root.end();
}

/** Spans per trace in the realistic mix. */
export const MIX_SPANS_PER_TRACE = 20;

/**
 * One request trace of the realistic mix: an HTTP server root with 18
 * non-LLM children (DB and HTTP client spans) and one LLM call span, the
 * emitter family rotating from trace to trace.
 */
export function endMixedTrace(
  pipeline: TracerSource,
  request: Context,
  traceIndex: number,
): void {
  const root = startSpan(pipeline, HTTP_SERVER, request);
  const parent = trace.setSpan(request, root);
  const llmShape = LLM_SHAPES[traceIndex % LLM_SHAPES.length] as SpanShape;
  for (let i = 1; i < MIX_SPANS_PER_TRACE; i++) {
    const shape =
      i === MIX_SPANS_PER_TRACE / 2
        ? llmShape
        : i % 3 === 0
          ? HTTP_CLIENT
          : DB_CLIENT;
    endOneSpan(pipeline, shape, parent);
  }
  root.setAttributes(HTTP_SERVER.endAttributes);
  root.end();
}
