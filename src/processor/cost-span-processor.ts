import { diag, type Context } from '@opentelemetry/api';
import type {
  ReadableSpan,
  Span,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { CostEngine } from '../core/cost-engine.js';
import { createPricer } from '../core/price/pricer.js';
import { costAttributes } from '../outputs/cost-attributes.js';
import { UnpricedWarnings } from '../outputs/unpriced-warnings.js';
import {
  resolveCostSpanProcessorOptions,
  type CostSpanProcessorOptions,
} from './cost-span-processor-options.js';
import { SdkSpanView } from './sdk-span-view.js';

/**
 * Prices every LLM call span exactly once and writes the cost onto it, in
 * `onEnding` (sdk-trace-base >= 2.3.0), while the span is still writable, so
 * every exporter sees the cost. Wrapper spans (agents, steps, AI SDK roll-ups)
 * are never priced; spans that are not LLM calls are left untouched.
 *
 * Register it like any span processor; order does not matter, because every
 * processor's `onEnding` runs before any processor's `onEnd`.
 *
 * @example
 * const sdk = new NodeSDK({
 *   spanProcessors: [new CostSpanProcessor(), new BatchSpanProcessor(exporter)],
 * });
 */
export class CostSpanProcessor implements SpanProcessor {
  private readonly _engine: CostEngine;
  private readonly _warnings = new UnpricedWarnings();
  private _isShutdown = false;

  constructor(options: CostSpanProcessorOptions = {}) {
    const resolved = resolveCostSpanProcessorOptions(options);
    this._engine = new CostEngine({
      pricer: createPricer({ overrides: resolved.overrides }),
      maxTrackedSpans: resolved.maxTrackedSpans,
    });
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    if (this._isShutdown) return;
    try {
      const evaluation = this._engine.evaluate(new SdkSpanView(span));
      if (evaluation === undefined) return;
      span.setAttributes(costAttributes(evaluation));
      if (evaluation.kind === 'call' && !evaluation.cost.priced) {
        this._warnings.warn(evaluation.call, evaluation.cost.reason);
      }
    } catch (error) {
      diag.error('otel-genai-cost: failed to price a span', error);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this._isShutdown = true;
    this._engine.clear();
    return Promise.resolve();
  }
}
