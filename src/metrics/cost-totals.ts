import type { Attributes, BatchObservableResult } from '@opentelemetry/api';
import type { TokenUsage } from '../core/llm-call.js';
import { isTokenCount } from '../core/normalize/token-count.js';
import { isPlausibleCost } from '../core/price/max-call-cost.js';
import type { CostResult, UnpricedReason } from '../core/price/cost-result.js';
import { toAttributes, type Instruments } from './cost-instruments.js';
import type { CostLabels } from './label-policy.js';
import {
  LABEL_OVERFLOWED,
  LABEL_TOKEN_TYPE,
  LABEL_UNPRICED_REASON,
  TOKEN_TYPES,
} from './metric-names.js';

/** Where each kind of token is kept in `LabelSetTotals.tokens`. */
const INPUT = TOKEN_TYPES.indexOf('input');
const OUTPUT = TOKEN_TYPES.indexOf('output');
const CACHE_READ = TOKEN_TYPES.indexOf('cache_read');
const CACHE_WRITE = TOKEN_TYPES.indexOf('cache_write');
const REASONING = TOKEN_TYPES.indexOf('reasoning');

/** Adds a valid count above 0; false for a count that is not valid. */
function addCount(
  tokens: (number | undefined)[],
  index: number,
  count: number,
): boolean {
  if (!isTokenCount(count)) return false;
  if (count > 0) tokens[index] = (tokens[index] ?? 0) + count;
  return true;
}

/** Running totals of one admitted label set. */
export interface LabelSetTotals {
  readonly attributes: Attributes;
  /** Attributes per token type, in TOKEN_TYPES order. */
  readonly tokenAttributes: readonly Attributes[];
  calls: number;
  /** Undefined until a priced call (or a seed) creates the series. */
  costUsd: number | undefined;
  readonly tokens: (number | undefined)[];
  readonly unpriced: Map<UnpricedReason, number>;
}

/**
 * The cost counters' values, kept per admitted label set and reported to
 * the SDK only when a reader collects (observable counters). Recording a
 * call is a few additions; with synchronous counters it was up to seven
 * `Counter.add` calls, each hashing its attributes (sort + JSON.stringify in
 * sdk-metrics), several microseconds per LLM call. The label sets are the
 * ones `CostMetrics` admitted, so this holds at most `maxLabelSets` entries.
 */
export class CostTotals {
  private readonly _sets = new Map<string, LabelSetTotals>();
  private readonly _overflow = new Map<string, number>();

  /**
   * Adds one call. A cost or token count that no valid call carries
   * (non-finite, negative, above `MAX_CALL_COST_USD` or `MAX_TOKEN_COUNT`)
   * is refused, never added: a counter cannot come back down. The pricer
   * never produces one, so this is a last line of defence. Returns false
   * when something was refused.
   */
  add(
    key: string,
    labels: CostLabels,
    usage: TokenUsage | undefined,
    cost: CostResult,
  ): boolean {
    return this.addTo(this.setOf(key, labels), usage, cost);
  }

  /**
   * `add` into the totals of a label set already found (`setOf`), valid
   * until `clear`.
   */
  addTo(
    totals: LabelSetTotals,
    usage: TokenUsage | undefined,
    cost: CostResult,
  ): boolean {
    totals.calls += 1;
    let accepted = true;
    if (cost.priced) {
      if (isPlausibleCost(cost.totalUsd)) {
        totals.costUsd = (totals.costUsd ?? 0) + cost.totalUsd;
      } else {
        accepted = false;
      }
    } else {
      totals.unpriced.set(
        cost.reason,
        (totals.unpriced.get(cost.reason) ?? 0) + 1,
      );
    }
    if (usage === undefined) return accepted;
    // Each kind read by name (no loop over the type names).
    const tokens = totals.tokens;
    accepted = addCount(tokens, INPUT, usage.inputTokens) && accepted;
    accepted = addCount(tokens, OUTPUT, usage.outputTokens) && accepted;
    accepted = addCount(tokens, CACHE_READ, usage.cacheReadTokens) && accepted;
    accepted =
      addCount(tokens, CACHE_WRITE, usage.cacheWriteTokens) && accepted;
    accepted = addCount(tokens, REASONING, usage.reasoningTokens) && accepted;
    return accepted;
  }

  /** Creates the seed's series at zero: calls, cost or unpriced, input and output tokens. */
  seed(key: string, labels: CostLabels, cost: CostResult): void {
    const totals = this.setOf(key, labels);
    if (cost.priced) totals.costUsd ??= 0;
    else
      totals.unpriced.set(cost.reason, totals.unpriced.get(cost.reason) ?? 0);
    totals.tokens[TOKEN_TYPES.indexOf('input')] ??= 0;
    totals.tokens[TOKEN_TYPES.indexOf('output')] ??= 0;
  }

  overflow(label: string): void {
    this._overflow.set(label, (this._overflow.get(label) ?? 0) + 1);
  }

  clear(): void {
    this._sets.clear();
    this._overflow.clear();
  }

  /** Reports every total (the batch observable callback). */
  observe(result: BatchObservableResult, instruments: Instruments): void {
    for (const totals of this._sets.values()) {
      result.observe(instruments.calls, totals.calls, totals.attributes);
      if (totals.costUsd !== undefined) {
        result.observe(instruments.cost, totals.costUsd, totals.attributes);
      }
      totals.tokens.forEach((count, i) => {
        if (count !== undefined) {
          result.observe(instruments.tokens, count, totals.tokenAttributes[i]);
        }
      });
      for (const [reason, count] of totals.unpriced) {
        result.observe(instruments.unpriced, count, {
          ...totals.attributes,
          [LABEL_UNPRICED_REASON]: reason,
        });
      }
    }
    for (const [label, count] of this._overflow) {
      result.observe(instruments.overflow, count, {
        [LABEL_OVERFLOWED]: label,
      });
    }
  }

  /** The totals of an admitted label set (made at its first call). */
  setOf(key: string, labels: CostLabels): LabelSetTotals {
    let totals = this._sets.get(key);
    if (totals === undefined) {
      const attributes = toAttributes(labels);
      totals = {
        attributes,
        tokenAttributes: TOKEN_TYPES.map(type => ({
          ...attributes,
          [LABEL_TOKEN_TYPE]: type,
        })),
        calls: 0,
        costUsd: undefined,
        tokens: TOKEN_TYPES.map(() => undefined),
        unpriced: new Map(),
      };
      this._sets.set(key, totals);
    }
    return totals;
  }
}
