import type { Evaluation } from '../core/cost-engine.js';
import {
  ATTR_COST,
  ATTR_COST_CACHE_READ,
  ATTR_COST_CACHE_WRITE,
  ATTR_COST_CURRENCY,
  ATTR_COST_INPUT,
  ATTR_COST_ISSUES,
  ATTR_COST_OUTPUT,
  ATTR_COST_PRICE_VERSION,
  ATTR_COST_SKIPPED,
  ATTR_COST_SOURCE,
  ATTR_COST_UNPRICED_REASON,
} from '../semconv.js';

/**
 * The attributes an evaluation puts on its span. Every output (span
 * processor, exporter wrapper, gateway) writes exactly these.
 */
export type CostAttributes = Record<string, string | number | string[]>;

/**
 * The cost attributes of an evaluation, written into `into` when given
 * (the span update being built: no object per writer) and returned.
 */
export function costAttributes(
  evaluation: Evaluation,
  into: Record<string, string | number | boolean | string[]> = {},
): CostAttributes {
  const attributes = into as CostAttributes;
  if (evaluation.kind === 'skipped') {
    attributes[ATTR_COST_SKIPPED] = evaluation.reason;
    return attributes;
  }
  const { call, cost } = evaluation;
  if (cost.priced) {
    attributes[ATTR_COST] = cost.totalUsd;
    if (cost.source !== 'provider') {
      attributes[ATTR_COST_INPUT] = cost.inputUsd;
      attributes[ATTR_COST_OUTPUT] = cost.outputUsd;
      attributes[ATTR_COST_CACHE_READ] = cost.cacheReadUsd;
      attributes[ATTR_COST_CACHE_WRITE] = cost.cacheWriteUsd;
    }
    attributes[ATTR_COST_CURRENCY] = 'USD';
    attributes[ATTR_COST_SOURCE] = cost.source;
    attributes[ATTR_COST_PRICE_VERSION] = cost.priceVersion;
  } else {
    attributes[ATTR_COST_SOURCE] = 'unpriced';
    attributes[ATTR_COST_UNPRICED_REASON] = cost.reason;
  }
  if (call.issues.length > 0) attributes[ATTR_COST_ISSUES] = [...call.issues];
  return attributes;
}
