export { CostSpanProcessor } from './processor/cost-span-processor.js';
export type { CostSpanProcessorOptions } from './processor/cost-span-processor-options.js';

export { createPricer } from './core/price/pricer.js';
export type { Pricer, PriceInput, PricerOptions } from './core/price/pricer.js';
export {
  InvalidPriceOverrideError,
  type PriceOverride,
} from './core/price/price-override.js';
export { loadPriceOverrides } from './config/load-price-overrides.js';
export type {
  ComputedCost,
  CostResult,
  CostSource,
  PricedCost,
  ReportedCost,
  UnpricedCost,
  UnpricedReason,
} from './core/price/cost-result.js';

export { CostEngine } from './core/cost-engine.js';
export type { Evaluation, SkipReason } from './core/cost-engine.js';
export { classifySpan } from './core/select/classify-span.js';
export type {
  SpanClass,
  SpanFamily,
  SpanRole,
} from './core/select/classify-span.js';
export { normalizeSpan } from './core/normalize/normalize-span.js';
export { normalizeProvider } from './core/normalize/normalize-provider.js';
export type {
  Emitter,
  LlmCall,
  TokenUsage,
  UsageIssue,
} from './core/llm-call.js';
export type {
  AttributeValue,
  SpanAttributes,
  SpanLike,
} from './core/span-like.js';
export { costAttributes } from './outputs/cost-attributes.js';
export {
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
} from './semconv.js';
