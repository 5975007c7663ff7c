import type { Evaluation } from '../core/cost-engine.js';
import type { CostResult } from '../core/price/cost-result.js';
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

/**
 * `costAttributes` of a call into a new object. A price from the table or
 * an override (nearly every call) is one object literal with its keys in
 * `costAttributes`' order: V8 copies a literal's prepared shape at once,
 * where the same keys set one by one on `{}` move the object through a
 * shape per key and grow its property store twice (about 40 ns per call).
 * The literal keys are the `semconv.ts` names, checked against them when
 * this module loads.
 */
export function newCallCostAttributes(
  evaluation: Extract<Evaluation, { kind: 'call' }>,
): CostAttributes {
  const cost = evaluation.cost;
  if (!cost.priced || cost.source === 'provider') {
    return costAttributes(evaluation, {});
  }
  const attributes = computedCostAttributes(cost);
  const issues = evaluation.call.issues;
  if (issues.length > 0) attributes[ATTR_COST_ISSUES] = [...issues];
  return attributes;
}

/** The attributes of a computed cost, in `costAttributes`' order. */
function computedCostAttributes(
  cost: Extract<CostResult, { source: 'price_table' | 'override' }>,
): CostAttributes {
  return {
    'gen_ai.usage.cost': cost.totalUsd,
    'gen_ai.cost.input': cost.inputUsd,
    'gen_ai.cost.output': cost.outputUsd,
    'gen_ai.cost.cache_read': cost.cacheReadUsd,
    'gen_ai.cost.cache_write': cost.cacheWriteUsd,
    'gen_ai.cost.currency': 'USD',
    'gen_ai.cost.source': cost.source,
    'gen_ai.cost.price_version': cost.priceVersion,
  };
}

// The literal keys are the semconv.ts names, in costAttributes' order.
const LITERAL_KEYS = Object.keys(
  computedCostAttributes({
    priced: true,
    source: 'price_table',
    totalUsd: 0,
    inputUsd: 0,
    outputUsd: 0,
    cacheReadUsd: 0,
    cacheWriteUsd: 0,
    modelId: '',
    priceVersion: '',
  }),
).join();
const SEMCONV_KEYS = [
  ATTR_COST,
  ATTR_COST_INPUT,
  ATTR_COST_OUTPUT,
  ATTR_COST_CACHE_READ,
  ATTR_COST_CACHE_WRITE,
  ATTR_COST_CURRENCY,
  ATTR_COST_SOURCE,
  ATTR_COST_PRICE_VERSION,
].join();
if (LITERAL_KEYS !== SEMCONV_KEYS) {
  throw new Error(`cost attribute literals ${LITERAL_KEYS} != ${SEMCONV_KEYS}`);
}
