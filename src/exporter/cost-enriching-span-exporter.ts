import { diag } from '@opentelemetry/api';
import type {
  SdkReadableSpan as ReadableSpan,
  SdkSpanExporter as SpanExporter,
} from '../sdk/sdk-types.js';
import type { Evaluation, IdentityHint } from '../core/cost-engine.js';
import { classifySpan, type SpanClass } from '../core/select/classify-span.js';
import { emitterLayer } from '../core/select/emitter-layer.js';
import { resolveEmitters } from '../core/select/emitters.js';
import {
  StackedWindow,
  type EndedCall,
} from '../core/select/stacked-window.js';
import type { SpanOutcome } from '../pipeline/span-outcome.js';
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

/** Calls remembered at most for stacked matching across batches. */
const MAX_STACKED_CALLS = 50_000;

const STACKED: Evaluation = {
  kind: 'skipped',
  reason: 'duplicate_of_stacked_instrumentation',
};

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
  private readonly _stacked: StackedWindow | undefined;

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
    const { preference } = resolveEmitters(resolved.emitters);
    this._stacked =
      preference === undefined
        ? undefined
        : new StackedWindow({
            windowMillis: resolved.identityWindowSeconds * 1000,
            maxEntries: Math.min(resolved.maxTrackedSpans, MAX_STACKED_CALLS),
            preference,
            onStacked: this._pipeline.onStacked,
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
    this._stacked?.clear();
    this._priceData?.shutdown();
    await Promise.all([this._inner.shutdown(), this._pipeline.shutdown()]);
  }

  private _enrich(spans: ReadableSpan[]): ReadableSpan[] {
    const now = Date.now();
    const views = spans.map(span => new SdkSpanView(span));
    // Children are exported before their parents: observe the whole batch
    // before resolving any span's ancestors.
    for (const view of views) this._index.observe(view, now);
    const outcomes = spans.map((span, i) => {
      const view = views[i] as SdkSpanView;
      try {
        const spanClass = classifySpan(view.attributes);
        return {
          spanClass,
          outcome: this._pipeline.evaluate(
            view,
            this._hint(span, view),
            spanClass,
          ),
        };
      } catch (error) {
        diag.error('otel-genai-cost: failed to enrich a span', error);
        return undefined;
      }
    });
    this._matchStacked(views, outcomes);
    return spans.map((span, i) => {
      const entry = outcomes[i];
      if (entry === undefined) return span;
      try {
        const { update, record } = entry.outcome;
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

  /**
   * Stacked instrumentations (`StackedWindow`): the layered calls of the
   * batch are paired and the better-informed priced; across batches the
   * first priced wins. A duplicate's outcome becomes the skip.
   */
  private _matchStacked(
    views: readonly SdkSpanView[],
    outcomes: ({ spanClass: SpanClass; outcome: SpanOutcome } | undefined)[],
  ): void {
    if (this._stacked === undefined) return;
    const layered: number[] = [];
    const calls: EndedCall[] = [];
    outcomes.forEach((entry, i) => {
      const evaluation = entry?.outcome.evaluation;
      const view = views[i] as SdkSpanView;
      if (evaluation?.kind !== 'call') return;
      if (emitterLayer(view.scopeName) === undefined) return;
      layered.push(i);
      calls.push({
        scopeName: view.scopeName,
        startMillis: view.startTimeMillis,
        endMillis: view.endTimeMillis ?? view.startTimeMillis,
        call: evaluation.call,
        priced: evaluation.cost.priced,
      });
    });
    if (calls.length === 0) return;
    const verdicts = this._stacked.decideBatch(calls, Date.now());
    verdicts.forEach((verdict, k) => {
      const i = layered[k] as number;
      const entry = outcomes[i];
      if (verdict !== 'duplicate' || entry === undefined) return;
      outcomes[i] = {
        spanClass: entry.spanClass,
        outcome: this._pipeline.outcomeOf(
          (views[i] as SdkSpanView).attributes,
          entry.spanClass,
          STACKED,
        ),
      };
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
