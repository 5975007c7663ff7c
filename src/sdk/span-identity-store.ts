import { trace, type Context, type SpanContext } from '@opentelemetry/api';
import {
  ATTRIBUTION_CONTEXT_KEY,
  type AttributionScope,
} from '../attribution/attribution-context.js';
import {
  mergeTags,
  readPlainSpanIdentity,
} from '../core/identity/read-span-identity.js';
import type { AttributionTags } from '../core/identity/tag-key.js';
import type { SpanAttributes } from '../core/span-like.js';
import { attributeCountOf } from './span-attribute-count.js';

/** What `onStart` remembers about one LLM span. */
interface StoredIdentity {
  /** The parent span object (a live or ended SDK span). */
  parent?: object | undefined;
  scope?: AttributionScope | undefined;
  baggageTags?: AttributionTags | undefined;
  /**
   * The span's view made at its start (`keepView`), for its evaluation at
   * the end: any object; each reader checks it is its own kind.
   */
  view?: object | undefined;
}

/** A live or ended SDK span, as far as the ancestor walk needs it. */
interface AncestorSpan {
  readonly attributes: SpanAttributes;
  spanContext(): SpanContext;
}

const MAX_ANCESTORS = 64;

/**
 * The registry key of the one property the store keeps on a span: shared by
 * every copy of this library (ESM and CommonJS builds, two installed
 * versions), like the attribution context key.
 */
const ENTRY = Symbol.for('otel-genai-cost.span-identity');

/** A span object as the store sees it. */
interface WithEntry {
  [ENTRY]?: StoredIdentity;
}

/** The entry kept on a span object: one property read. */
function entryOf(span: object): StoredIdentity | undefined {
  return (span as WithEntry)[ENTRY];
}

/**
 * The seam between `CostSpanProcessor.onStart` (which sees the context a
 * span starts in) and whatever evaluates the span later (the processor's
 * `onEnding`, or `CostEnrichingSpanExporter` on SDKs without `onEnding`):
 * the attribution of the context and the parent span object, for LLM spans
 * only (calls and wrappers). Only this class reads or writes what it keeps.
 *
 * An entry lives in one property of the SDK span object under a registry
 * symbol, so it goes away with its span: no map keyed by span id, nothing
 * to evict. A `WeakMap` keyed by the span was measured instead and added
 * about 2.5 us per LLM span (ephemeron bookkeeping in the garbage
 * collector), more than the rest of the processor's hooks; the property
 * adds no measurable time.
 */
export class SpanIdentityStore {
  /**
   * Remembers the context's attribution, and the parent span object.
   * Identity is thus inherited through a chain of LLM spans (`chat` ←
   * `step` ← `invoke_agent`) plus the first span above it (the request or
   * job span that called the SDK). Deeper non-LLM ancestors are not
   * walked: put identity there with `withAttribution` instead.
   *
   * The entry is made even when there is nothing to remember, so every span
   * started here `has` one: a span without an entry was never remembered
   * from its start (what lets `CostSpanProcessor` skip its span-id look-ups
   * for the other spans).
   */
  onStart(span: object, parentContext: Context): void {
    const scope = parentContext.getValue(ATTRIBUTION_CONTEXT_KEY) as
      AttributionScope | undefined;
    const parent = trace.getSpan(parentContext);
    const entry = entryOf(span);
    if (entry === undefined) {
      // Every field at once: one object of one shape, no transitions.
      (span as WithEntry)[ENTRY] = {
        parent,
        scope,
        baggageTags: undefined,
        view: undefined,
      };
      return;
    }
    if (scope !== undefined) entry.scope = scope;
    if (parent !== undefined) entry.parent = parent;
  }

  /**
   * Keeps the view a shell made of the span at its start, so the shell that
   * evaluates it at its end reads the same object instead of
   * making another. Only for a span with an entry (`onStart`).
   */
  keepView(span: object, view: object): void {
    const entry = entryOf(span);
    if (entry !== undefined) entry.view = view;
  }

  /**
   * The view kept by `keepView`, if any, let go of: the evaluation at the
   * end is its one reader, and the span may be held long after (an
   * exporter's queue).
   */
  takeView(span: object): object | undefined {
    const entry = entryOf(span);
    if (entry === undefined) return undefined;
    const view = entry.view;
    if (view !== undefined) entry.view = undefined;
    return view;
  }

  /**
   * For a span that only turned out to be an LLM call by the time it ends
   * (its marker attributes were set after start): the attribution of the
   * context it ends in, which is the one it ran in unless it is ended from
   * another async scope.
   */
  lateScope(span: object, endingContext: Context | (() => Context)): void {
    if (entryOf(span)?.scope !== undefined) return;
    // A getter: the active context is looked up only when it is needed.
    const ending =
      typeof endingContext === 'function' ? endingContext() : endingContext;
    const scope = ending.getValue(ATTRIBUTION_CONTEXT_KEY);
    if (scope !== undefined) {
      this._entry(span).scope = scope as AttributionScope;
    }
  }

  /** Remembers tags copied from W3C baggage (`propagation: 'baggage'`). */
  baggageTags(span: object, tags: AttributionTags): void {
    this._entry(span).baggageTags = tags;
  }

  /**
   * Whether the span has an entry (always, once `onStart` saw it; also for
   * some other spans: baggage tags, a late scope, another copy's entries).
   * One property read, no span id.
   */
  has(span: object): boolean {
    return entryOf(span) !== undefined;
  }

  /** Explicit tags: the context's attribution over baggage tags. */
  explicitTags(span: object): AttributionTags | undefined {
    const entry = entryOf(span);
    if (entry === undefined) return undefined;
    const scope = entry.scope?.tags;
    const baggage = entry.baggageTags;
    return baggage === undefined ? scope : mergeTags(scope, baggage);
  }

  explicitSource(span: object): 'context' | 'manual' | undefined {
    return entryOf(span)?.scope?.source;
  }

  /**
   * Tags of the span's ancestors, walking the remembered parent links
   * (nearest ancestor wins per key). Ancestors are read now, at the call's
   * end, so a user id set on the root span after it started still counts.
   */
  ancestorTags(span: object): AttributionTags | undefined {
    let current = entryOf(span)?.parent;
    if (current === undefined) return undefined;
    const traceId = traceIdOf(span);
    // Usually one ancestor with nothing to give: no list is made for it.
    let layers: (AttributionTags | undefined)[] | undefined;
    for (let depth = 0; depth < MAX_ANCESTORS; depth += 1) {
      if (!isAncestorSpan(current)) break;
      if (current.spanContext().traceId !== traceId) break;
      const entry = entryOf(current);
      const scope = entry?.scope?.tags;
      const baggage = entry?.baggageTags;
      // An SDK span's attributes: a plain object, its keys counted.
      const own = readPlainSpanIdentity(
        current.attributes,
        attributeCountOf(current),
      );
      if (scope !== undefined || baggage !== undefined || own !== undefined) {
        (layers ??= []).push(scope, baggage, own);
      }
      current = entry?.parent;
    }
    return layers === undefined ? undefined : mergeTags(...layers);
  }

  private _entry(span: object): StoredIdentity {
    let entry = entryOf(span);
    if (entry === undefined) {
      entry = {
        parent: undefined,
        scope: undefined,
        baggageTags: undefined,
        view: undefined,
      };
      (span as WithEntry)[ENTRY] = entry;
    }
    return entry;
  }
}

const SHARED = new SpanIdentityStore();

/**
 * The store every `CostSpanProcessor` and `CostEnrichingSpanExporter` of
 * the process uses (what one keeps, the others read).
 */
export function sharedSpanIdentityStore(): SpanIdentityStore {
  return SHARED;
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
