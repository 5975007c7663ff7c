import { trace, type Context, type SpanContext } from '@opentelemetry/api';
import {
  ATTRIBUTION_CONTEXT_KEY,
  type AttributionScope,
} from '../attribution/attribution-context.js';
import type { IdentityHint } from '../core/cost-engine.js';
import {
  mergeTags,
  readSpanIdentity,
} from '../core/identity/read-span-identity.js';
import type { AttributionTags } from '../core/identity/tag-key.js';
import type { SpanAttributes } from '../core/span-like.js';

/*
 * What onStart remembers, stored ON the span object under registry symbols
 * (shared by every copy of this library), so the memory goes away with the
 * span: no map keyed by span id, nothing to evict. Adding a property to a
 * span costs about as much as the rest of our hooks together, so it is only
 * done for LLM spans (calls and wrappers): the context's attribution and the
 * parent span. Any other span pays the marker check and is not written to.
 */
const PARENT = Symbol.for('otel-genai-cost.parent-span');
const SCOPE = Symbol.for('otel-genai-cost.attribution-scope');
const BAGGAGE_TAGS = Symbol.for('otel-genai-cost.baggage-tags');

interface Stashed {
  [PARENT]?: unknown;
  [SCOPE]?: AttributionScope;
  [BAGGAGE_TAGS]?: AttributionTags;
}

/** A live or ended SDK span, as far as the ancestor walk needs it. */
interface AncestorSpan extends Stashed {
  readonly attributes: SpanAttributes;
  spanContext(): SpanContext;
}

const MAX_ANCESTORS = 64;

/**
 * Remembers the context's attribution, and for LLM spans the parent span
 * object. Identity is thus inherited through a chain of LLM spans (`chat` ←
 * `step` ← `invoke_agent`) plus the first span above it (the request or job
 * span that called the SDK). Deeper non-LLM ancestors are not walked: put
 * identity there with `withAttribution` instead.
 */
export function stashOnStart(
  span: object,
  parentContext: Context,
  isLlmSpan: boolean,
): void {
  if (!isLlmSpan) return;
  const scope = parentContext.getValue(ATTRIBUTION_CONTEXT_KEY);
  if (scope !== undefined) (span as Stashed)[SCOPE] = scope as AttributionScope;
  const parent = trace.getSpan(parentContext);
  if (parent !== undefined) (span as Stashed)[PARENT] = parent;
}

/**
 * For a span that only turned out to be an LLM call by the time it ends
 * (its marker attributes were set after start): the attribution of the
 * context it ends in, which is the one it ran in unless it is ended from
 * another async scope.
 */
export function stashLateScope(span: object, endingContext: Context): void {
  if ((span as Stashed)[SCOPE] !== undefined) return;
  const scope = endingContext.getValue(ATTRIBUTION_CONTEXT_KEY);
  if (scope !== undefined) (span as Stashed)[SCOPE] = scope as AttributionScope;
}

/** Remembers tags copied from W3C baggage (`propagation: 'baggage'`). */
export function stashBaggageTags(span: object, tags: AttributionTags): void {
  (span as Stashed)[BAGGAGE_TAGS] = tags;
}

/** Whether onStart of a `CostSpanProcessor` saw this span. */
export function hasStash(span: object): boolean {
  const stashed = span as Stashed;
  return (
    stashed[PARENT] !== undefined ||
    stashed[SCOPE] !== undefined ||
    stashed[BAGGAGE_TAGS] !== undefined
  );
}

/** Explicit tags: the context's attribution over baggage tags. */
export function stashedExplicitTags(span: object): AttributionTags | undefined {
  const stashed = span as Stashed;
  const scope = stashed[SCOPE]?.tags;
  const baggage = stashed[BAGGAGE_TAGS];
  return baggage === undefined ? scope : mergeTags(scope, baggage);
}

export function stashedExplicitSource(
  span: object,
): 'context' | 'manual' | undefined {
  return (span as Stashed)[SCOPE]?.source;
}

/**
 * Tags of the span's ancestors, walking the stashed parent links (nearest
 * ancestor wins per key). Ancestors are read now, at the call's end, so a
 * user id set on the root span after it started still counts.
 */
export function stashedAncestorTags(span: object): AttributionTags | undefined {
  const traceId = traceIdOf(span);
  const layers: (AttributionTags | undefined)[] = [];
  let current = (span as Stashed)[PARENT];
  for (let depth = 0; depth < MAX_ANCESTORS; depth += 1) {
    if (!isAncestorSpan(current)) break;
    if (current.spanContext().traceId !== traceId) break;
    layers.push(
      current[SCOPE]?.tags,
      current[BAGGAGE_TAGS],
      readSpanIdentity(current.attributes),
    );
    current = current[PARENT];
  }
  return mergeTags(...layers);
}

/**
 * The `IdentityHint` of a stashed span. One instance is reused for every
 * span a shell evaluates (evaluation is synchronous), so spans that are not
 * LLM calls allocate nothing for identity.
 */
export class StashedIdentityHint implements IdentityHint {
  private _span: object = {};
  readonly ancestors = (): AttributionTags | undefined =>
    stashedAncestorTags(this._span);

  of(span: object): this {
    this._span = span;
    return this;
  }

  get explicit(): AttributionTags | undefined {
    return stashedExplicitTags(this._span);
  }

  get explicitSource(): 'context' | 'manual' | undefined {
    return stashedExplicitSource(this._span);
  }
}

function traceIdOf(span: object): string | undefined {
  const spanContext = (span as Partial<AncestorSpan>).spanContext;
  return typeof spanContext === 'function'
    ? spanContext.call(span).traceId
    : undefined;
}

function isAncestorSpan(value: unknown): value is AncestorSpan {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<AncestorSpan>).spanContext === 'function' &&
    typeof (value as Partial<AncestorSpan>).attributes === 'object' &&
    (value as Partial<AncestorSpan>).attributes !== null
  );
}
