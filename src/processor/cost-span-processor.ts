import {
  context,
  diag,
  propagation,
  type Baggage,
  type Context,
} from '@opentelemetry/api';
// Structural SDK shapes: the published types import neither SDK line.
import type {
  SdkReadableSpan as ReadableSpan,
  SdkSpan as Span,
  SdkSpanProcessor as SpanProcessor,
} from '../sdk/sdk-types.js';
import {
  normalizeTagKey,
  type AttributionTags,
} from '../core/identity/tag-key.js';
import { classifyPlainAttributes } from '../core/select/classify-span.js';
import type { SpanAttributes } from '../core/span-like.js';
import {
  createCostPipeline,
  type CostPipeline,
} from '../pipeline/cost-pipeline.js';
import type { PriceDataRefresher } from '../price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../price-data/start-price-data-refresh.js';
import { spanRemembersFromStart } from '../sdk/scope-remembers-from-start.js';
import { attributeCountOf } from '../sdk/span-attribute-count.js';
import { SdkSpanView } from '../sdk/sdk-span-view.js';
import {
  sharedSpanIdentityStore,
  type SpanIdentityStore,
} from '../sdk/span-identity-store.js';
import { StoredIdentityHint } from '../sdk/stored-identity-hint.js';
import {
  resolveCostSpanProcessorOptions,
  type CostSpanProcessorOptions,
} from './cost-span-processor-options.js';

/**
 * Prices every LLM call span exactly once and writes the cost and who it is
 * billed to onto it, in `onEnding` (sdk-trace-base >= 2.3.0, sdk-trace 3.x),
 * while the span is still writable, so every exporter sees them. Wrapper
 * spans (agents, steps, AI SDK roll-ups) are never priced; spans that are not
 * LLM calls are left untouched (with a pseudonymization secret set, their
 * identity attributes are rewritten too).
 *
 * `onStart` remembers the attribution in the context (`withAttribution`) and
 * the parent span in the process's `SpanIdentityStore` (one property under
 * a `Symbol.for` key on the span object itself, shared with
 * `CostEnrichingSpanExporter` and every copy of this library), so identity
 * can be inherited from ancestors when the call ends; nothing outlives the
 * span. `onEnding` classifies the span once and hands the class to the
 * evaluation pipeline.
 *
 * Register it like any span processor; order does not matter, because every
 * processor's `onEnding` runs before any processor's `onEnd`. On SDKs
 * without `onEnding` (< 2.3, or `@vercel/otel`, which bundles 2.1), wrap
 * your exporter in `CostEnrichingSpanExporter` as well.
 *
 * @example
 * const sdk = new NodeSDK({
 *   spanProcessors: [new CostSpanProcessor(), new BatchSpanProcessor(exporter)],
 * });
 */
/** The active context, looked up only when a span needs it. */
const activeContext = (): Context => context.active();

export class CostSpanProcessor implements SpanProcessor {
  private readonly _pipeline: CostPipeline;
  private readonly _priceData: PriceDataRefresher | undefined;
  private readonly _store: SpanIdentityStore = sharedSpanIdentityStore();
  private readonly _hint = new StoredIdentityHint(this._store);
  private readonly _readBaggage: boolean;
  private readonly _baggageTags = new WeakMap<Baggage, AttributionTags>();
  private _isShutdown = false;

  constructor(options: CostSpanProcessorOptions = {}) {
    const resolved = resolveCostSpanProcessorOptions(options);
    this._pipeline = createCostPipeline(resolved);
    this._priceData = startPriceDataRefresh(resolved, this._pipeline.pricer);
    this._readBaggage = resolved.identity.propagation === 'baggage';
  }

  onStart(span: Span, parentContext: Context): void {
    if (this._isShutdown) return;
    try {
      // The context and parent of LLM spans (calls and wrappers) only. The
      // class is not carried to onEnding: marker attributes may still be set
      // after start (classified twice at most: here and in onEnding).
      const spanClass = classifyPlainAttributes(
        span.attributes as SpanAttributes,
        attributeCountOf(span),
      );
      // Spans of a known instrumentation layer too (a framework sets its
      // LLM span's marker attributes at the end): stacked layers.
      const layered = spanRemembersFromStart(span);
      if (spanClass.role !== 'other' || layered) {
        this._store.onStart(span, parentContext);
      }
      if (spanClass.role === 'inference' || layered) {
        // The same view serves the evaluation at the end (`_viewOf`).
        const view = new SdkSpanView(span);
        this._store.keepView(span, view);
        this._pipeline.engine.start(view, spanClass);
      }
      if (this._readBaggage) this._rememberBaggage(span, parentContext);
    } catch (error) {
      diag.error('otel-genai-cost: failed to read attribution', error);
    }
  }

  onEnding(span: Span): void {
    if (this._isShutdown) return;
    try {
      // Every span whose start the engine remembers has a store entry
      // (onStart): without one, only a mark from a call below is possible.
      const spanClass = this._pipeline.select(
        span.attributes as SpanAttributes,
        span.spanContext().spanId,
        this._pipeline.engine,
        this._store.has(span),
        attributeCountOf(span),
      );
      if (spanClass === undefined) return;
      this._store.lateScope(span, activeContext);
      const { update, record } = this._pipeline.evaluate(
        this._viewOf(span),
        this._hint.of(span),
        spanClass,
      );
      if (update !== undefined) span.setAttributes(update);
      if (record !== undefined) this._pipeline.record(record);
    } catch (error) {
      diag.error('otel-genai-cost: failed to price a span', error);
    }
  }

  onEnd(span: ReadableSpan): void {
    // On SDKs without onEnding (< 2.3) the starts remembered for exactly
    // once are forgotten here (CostEnrichingSpanExporter prices the span).
    if (this._isShutdown) return;
    // A span without a store entry was never remembered at its start.
    if (!this._store.has(span)) return;
    const engine = this._pipeline.engine;
    const spanId = span.spanContext().spanId;
    // Only a start still remembered needs releasing (a mark left by a
    // child is taken when the span is evaluated, never here).
    if (engine.remembersStart(spanId)) {
      const [seconds, nanos] = span.endTime;
      engine.forget(spanId, seconds * 1000 + nanos / 1e6);
    }
  }

  forceFlush(): Promise<void> {
    return this._pipeline.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this._isShutdown) return;
    this._isShutdown = true;
    this._priceData?.shutdown();
    await this._pipeline.shutdown();
  }

  /** The span's view made at its start (let go of), else a new one. */
  private _viewOf(span: Span): SdkSpanView {
    const kept = this._store.takeView(span);
    return kept instanceof SdkSpanView ? kept : new SdkSpanView(span);
  }

  /** Allow-listed baggage entries; cached per (immutable) baggage object. */
  private _rememberBaggage(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (baggage === undefined) return;
    let tags = this._baggageTags.get(baggage);
    if (tags === undefined) {
      const found: Record<string, string> = {};
      const allowed = this._pipeline.policy.allowedKeys;
      for (const [key, entry] of baggage.getAllEntries()) {
        const tag = normalizeTagKey(key);
        if (allowed.has(tag) && entry.value !== '') found[tag] = entry.value;
      }
      tags = Object.freeze(found);
      this._baggageTags.set(baggage, tags);
    }
    if (Object.keys(tags).length > 0) this._store.baggageTags(span, tags);
  }
}
