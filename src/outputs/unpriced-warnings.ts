import { diag } from '@opentelemetry/api';
import type { LlmCall } from '../core/llm-call.js';
import { MAX_TOKEN_COUNT } from '../core/normalize/token-count.js';
import type { UnpricedReason } from '../core/price/cost-result.js';
import { MAX_CALL_COST_USD } from '../core/price/max-call-cost.js';

const MAX_KEYS = 1000;

/**
 * One `diag` warning per (reason, provider, model), not per span. Bounded:
 * after `MAX_KEYS` distinct keys it says once that it stops warning.
 */
export class UnpricedWarnings {
  private readonly _seen = new Set<string>();
  private _saturated = false;

  warn(call: LlmCall, reason: UnpricedReason): void {
    if (this._saturated) return;
    const key = `${reason}\u0000${call.provider ?? ''}\u0000${call.model ?? ''}`;
    if (this._seen.has(key)) return;
    if (this._seen.size >= MAX_KEYS) {
      this._saturated = true;
      diag.warn(
        `otel-genai-cost: more than ${MAX_KEYS} distinct unpriced models; further warnings suppressed`,
      );
      return;
    }
    this._seen.add(key);
    diag.warn(
      `otel-genai-cost: LLM call left unpriced (${reason}): provider=${call.provider ?? '?'} model=${call.model ?? '?'}. ` +
        advice(call, reason),
    );
  }
}

function advice(call: LlmCall, reason: UnpricedReason): string {
  switch (reason) {
    case 'invalid_usage':
      return (
        `Token counts (${call.invalidUsage?.join(', ') || 'usage'}) are not whole numbers ` +
        `from 0 to ${MAX_TOKEN_COUNT}; the call carries no cost figure and no token counts.`
      );
    case 'cost_above_cap':
      return `Its cost would exceed the per-call cap of $${MAX_CALL_COST_USD}; check your price overrides.`;
    default:
      return 'It carries no cost figure; add a price override if the model is real.';
  }
}
