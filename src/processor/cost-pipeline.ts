import { diag } from '@opentelemetry/api';
import { CostEngine, type IdentityHint } from '../core/cost-engine.js';
import type { CostRecord, CostSink } from '../core/cost-record.js';
import { IdentityPolicy } from '../core/identity/identity-policy.js';
import { createPricer } from '../core/price/pricer.js';
import { classifySpan } from '../core/select/classify-span.js';
import type { SpanAttributes, SpanLike } from '../core/span-like.js';
import {
  costSpanUpdate,
  type CostSpanUpdateOptions,
  type SpanAttributeUpdate,
} from '../outputs/cost-span-update.js';
import { UnpricedWarnings } from '../outputs/unpriced-warnings.js';
import type { ResolvedCostSpanProcessorOptions } from './cost-span-processor-options.js';

export type { SpanAttributeUpdate };

/**
 * The one evaluation path of the SDK shells (`CostSpanProcessor` in
 * `onEnding`, `CostEnrichingSpanExporter` before export): price, attribute,
 * apply privacy rewrites, feed the sinks. It returns the attributes to set
 * and leaves the writing to the shell.
 */
export class CostPipeline {
  readonly engine: CostEngine;
  readonly policy: IdentityPolicy;
  private readonly _sinks: readonly CostSink[];
  private readonly _updateOptions: CostSpanUpdateOptions;
  private readonly _warnings = new UnpricedWarnings();
  private _warnedEmail = false;

  constructor(resolved: ResolvedCostSpanProcessorOptions) {
    this.policy = new IdentityPolicy({
      ...resolved.identity.policy,
      onEmailRedacted: () => this._warnEmailOnce(),
    });
    this.engine = new CostEngine({
      pricer: createPricer({ overrides: resolved.overrides }),
      maxTrackedSpans: resolved.maxTrackedSpans,
      identityPolicy: this.policy,
    });
    this._sinks = resolved.sinks;
    this._updateOptions = {
      policy: this.policy,
      aliases: resolved.identity.aliases,
    };
  }

  /**
   * True when an ended span needs no work at all: not an LLM span, no LLM
   * call below it to pass on, nothing to rewrite. Lets a shell skip building
   * a span view for the ~95 % of spans that are not LLM calls.
   */
  ignores(attributes: SpanAttributes, spanId: string): boolean {
    return (
      !this.policy.pseudonymizes &&
      classifySpan(attributes).role === 'other' &&
      !this.engine.isCovered(spanId)
    );
  }

  /**
   * Everything to write on one ended span (see `costSpanUpdate`), or
   * undefined when nothing changes. Feeds the sinks for every call.
   */
  process(
    span: SpanLike,
    hint: IdentityHint | undefined,
  ): SpanAttributeUpdate | undefined {
    const spanClass = classifySpan(span.attributes);
    const evaluation = this.engine.evaluateClassified(span, spanClass, hint);
    const update = costSpanUpdate(
      span.attributes,
      spanClass.role !== 'other',
      evaluation,
      this._updateOptions,
    );
    if (evaluation?.kind !== 'call') return update;
    const { call, cost, identity } = evaluation;
    if (!cost.priced) this._warnings.warn(call, cost.reason);
    this._record({ call, cost, identity });
    return update;
  }

  forceFlush(): Promise<void> {
    return this._allSinks(sink => sink.forceFlush?.());
  }

  shutdown(): Promise<void> {
    return this._allSinks(sink => sink.shutdown?.());
  }

  private _record(record: CostRecord): void {
    for (const sink of this._sinks) {
      try {
        sink.record(record);
      } catch (error) {
        diag.error('otel-genai-cost: a cost sink threw in record()', error);
      }
    }
  }

  private async _allSinks(
    run: (sink: CostSink) => Promise<void> | undefined,
  ): Promise<void> {
    await Promise.all(
      this._sinks.map(async sink => {
        try {
          await run(sink);
        } catch (error) {
          diag.error('otel-genai-cost: a cost sink failed to flush', error);
        }
      }),
    );
  }

  private _warnEmailOnce(): void {
    if (this._warnedEmail) return;
    this._warnedEmail = true;
    diag.warn(
      'otel-genai-cost: an e-mail address in attribution was replaced by "redacted-email". ' +
        'Set OTEL_GENAI_COST_HMAC_SECRET (or hmacSecret) to pseudonymize it instead, ' +
        'or allowRawEmail: true to keep it.',
    );
  }
}
