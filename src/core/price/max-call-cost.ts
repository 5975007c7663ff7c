/**
 * The per-call cost ceiling, one for reported and computed costs: no single
 * LLM call costs a million dollars (a call at `MAX_TOKEN_COUNT` input and
 * output tokens at the dearest published rates, $150 and $600 per million,
 * costs $750,000). A cost above it comes from corrupt input or an absurd
 * price, and is never written to a span or added to a counter.
 */
export const MAX_CALL_COST_USD = 1_000_000;

/** A cost figure a span and a counter may carry: finite, 0 to the cap. */
export function isPlausibleCost(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= MAX_CALL_COST_USD
  );
}
