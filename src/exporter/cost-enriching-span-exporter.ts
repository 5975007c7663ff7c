import { diag } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IdentityHint } from '../core/cost-engine.js';
import { mergeTags } from '../core/identity/read-span-identity.js';
import { TraceIdentityIndex } from '../core/identity/trace-identity-index.js';
import {
  createCostPipeline,
  type CostPipeline,
} from '../pipeline/cost-pipeline.js';
import type { PriceDataRefresher } from '../price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../price-data/start-price-data-refresh.js';
import {
  resolveCostSpanProcessorOptions,
  type CostSpanProcessorOptions,
} from '../processor/cost-span-processor-options.js';
import { readableSpanWithAttributes } from '../sdk/readable-span-with-attributes.js';
import { SdkSpanView } from '../sdk/sdk-span-view.js';
import {
  sharedSpanIdentityStore,
  type SpanIdentityStore,
} from '../sdk/span-identity-store.js';

export interface CostEnrichingSpanExporterOptions extends CostSpanProcessorOptions {
  /**
   * How long a finished span is remembered as a possible ancestor of spans
   * exported later (identity inheritance without a live processor): at
   * least this long, up to twice.
   * @defaultValue env `OTEL_GENAI_COST_IDENTITY_WINDOW_SECONDS`, else 300
   */
  readonly identityWindowSeconds?: number | undefined;
  /**
   * @deprecated Use `identityWindowSeconds` (this value / 1000); still
   * read, with a one-time warning.
   */
  readonly identityWindowMillis?: number | undefined;
}

/**
 * Wraps any `SpanExporter` and adds the cost and identity attributes
 * `CostSpanProcessor` would have written, before delegating. For setups where
 * `onEnding` never runs (sdk-trace-base < 2.3, `@vercel/otel`, which bundles
 * 2.1) or spans that come from elsewhere. Same engine, same writers.
 *
 * - Spans already evaluated by a processor (`gen_ai.cost.source` or
 *   `.skipped` present) pass unchanged, so running both never double-counts.
 * - The inner exporter gets new `ReadableSpan`-shaped objects; the originals
 *   are not mutated.
 * - Register a `CostSpanProcessor` too when you can: its `onStart` still runs
 *   on old SDKs and captures `withAttribution` tags, which this exporter
 *   reads. Without it, identity comes from span attributes and ancestors.
 *
 * @example
 * new BatchSpanProcessor(new CostEnrichingSpanExporter(new OTLPTraceExporter()))
 */
export class CostEnrichingSpanExporter implements SpanExporter {
  private readonly _inner: SpanExporter;
  private readonly _pipeline: CostPipeline;
  private readonly _priceData: PriceDataRefresher | undefined;
  private readonly _index: TraceIdentityIndex;
  private readonly _store: SpanIdentityStore = sharedSpanIdentityStore();

  constructor(
    inner: SpanExporter,
    options: CostEnrichingSpanExporterOptions = {},
  ) {
    this._inner = inner;
    const resolved = resolveCostSpanProcessorOptions(options);
    this._pipeline = createCostPipeline(resolved);
    this._priceData = startPriceDataRefresh(resolved, this._pipeline.pricer);
    this._index = new TraceIdentityIndex({
      windowMillis: resolved.identityWindowSeconds * 1000,
      maxSpans: resolved.maxTrackedSpans,
    });
  }

  export(
    spans: ReadableSpan[],
    resultCallback: Parameters<SpanExporter['export']>[1],
  ): void {
    let enriched = spans;
    try {
      enriched = this._enrich(spans);
    } catch (error) {
      diag.error('otel-genai-cost: failed to enrich spans for export', error);
    }
    this._inner.export(enriched, resultCallback);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([
      this._inner.forceFlush?.(),
      this._pipeline.forceFlush(),
    ]);
  }

  async shutdown(): Promise<void> {
    this._index.clear();
    this._priceData?.shutdown();
    await Promise.all([this._inner.shutdown(), this._pipeline.shutdown()]);
  }

  private _enrich(spans: ReadableSpan[]): ReadableSpan[] {
    const now = Date.now();
    const views = spans.map(span => new SdkSpanView(span));
    // Children are exported before their parents: observe the whole batch
    // before resolving any span's ancestors.
    for (const view of views) this._index.observe(view, now);
    return spans.map((span, i) => {
      const view = views[i] as SdkSpanView;
      try {
        const { update, record } = this._pipeline.evaluate(
          view,
          this._hint(span, view),
        );
        if (record !== undefined) this._pipeline.record(record);
        return update === undefined
          ? span
          : readableSpanWithAttributes(span, update);
      } catch (error) {
        diag.error('otel-genai-cost: failed to enrich a span', error);
        return span;
      }
    });
  }

  private _hint(span: ReadableSpan, view: SdkSpanView): IdentityHint {
    return {
      explicit: this._store.explicitTags(span),
      explicitSource: this._store.explicitSource(span),
      ancestors: () =>
        mergeTags(
          this._store.ancestorTags(span),
          this._index.ancestorTags(view),
        ),
    };
  }
}
