/** How much identity work one unit (a gateway request, an in-process span) may do. */
export interface ScrubBudgetLimits {
  /**
   * Pseudonyms computed (HMAC-SHA256 of a value not among the ~10,000 most
   * recent ones; a recent value costs nothing). About 2 µs each.
   */
  readonly values: number;
  /**
   * Characters of JSON metadata bags parsed (for reading attribution and
   * for rewriting: a bag read and rewritten counts twice). About 10-50 ms
   * per MiB of text.
   */
  readonly chars: number;
  /**
   * JSON values of those bags parsed: every key, array element, object and
   * array (counted on the text before parsing). About 0.2 µs each, up to
   * 1.5 µs for distinct keys; they, not characters, dominate small-value
   * bags.
   */
  readonly nodes: number;
}

/**
 * The defaults, per gateway request and per span in process: 50,000
 * pseudonyms, 8 MiB and 200,000 values of JSON bags parsed. An honest full
 * batch (8,192 LLM spans, a 300-character bag of 9 values and a user id on
 * each, every bag read and rewritten) uses 4.7 MB and 147,000 values. See
 * docs/attribution.md for the measured cost.
 */
export const DEFAULT_SCRUB_BUDGET: ScrubBudgetLimits = Object.freeze({
  values: 50_000,
  chars: 8 * 1_048_576,
  nodes: 200_000,
});

/** The redaction reason of an attribute replaced because the budget was spent. */
export const REQUEST_BUDGET = 'request_budget';

/**
 * What replaces a single identity value that needs a pseudonym once the
 * budget is spent (a scalar attribute; a list or a JSON bag holding one is
 * replaced whole, see `scrubIdentityAttributes`).
 */
export const BUDGET_SPENT_VALUE = `{"otel.genai.cost.redacted":"${REQUEST_BUDGET}"}`;

/**
 * The work identity scrubbing may still do in one unit: the gateway makes
 * one per request and passes it down the pipeline (reading attribution,
 * rewriting identity attributes); the in-process shells get one per span.
 * Each limit is spent once: past it, every further identity attribute that
 * would need that work is replaced whole by a redacted marker, cheaply.
 * Pure bookkeeping: the shell reads `spent` to warn.
 */
export class ScrubBudget {
  private _values: number;
  private _chars: number;
  private _nodes: number;
  private _spent: keyof ScrubBudgetLimits | undefined;

  constructor(limits: Partial<ScrubBudgetLimits> = {}) {
    this._values = limits.values ?? DEFAULT_SCRUB_BUDGET.values;
    this._chars = limits.chars ?? DEFAULT_SCRUB_BUDGET.chars;
    this._nodes = limits.nodes ?? DEFAULT_SCRUB_BUDGET.nodes;
  }

  /** The first limit reached, or undefined while both have room. */
  get spent(): keyof ScrubBudgetLimits | undefined {
    return this._spent;
  }

  /** Whether no more pseudonyms may be computed. */
  get valuesSpent(): boolean {
    return this._values < 0;
  }

  /** Takes one pseudonym; false (and spent for good) when none is left. */
  takeValue(): boolean {
    if (this._values <= 0) {
      this._values = -1;
      this._spent ??= 'values';
      return false;
    }
    this._values -= 1;
    return true;
  }

  /** Whether no more JSON may be parsed. */
  get bagsSpent(): boolean {
    return this._chars < 0 || this._nodes < 0;
  }

  /**
   * Takes one bag of `chars` characters and `nodes` values to parse; false
   * (and spent for good) when it does not fit.
   */
  takeBag(chars: number, nodes: number): boolean {
    if (this.bagsSpent) return false;
    if (chars > this._chars || nodes > this._nodes) {
      this._spent ??= chars > this._chars ? 'chars' : 'nodes';
      this._chars = -1;
      this._nodes = -1;
      return false;
    }
    this._chars -= chars;
    this._nodes -= nodes;
    return true;
  }
}
