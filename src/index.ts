export { CostSpanProcessor } from './processor/cost-span-processor.js';
export type { CostSpanProcessorOptions } from './processor/cost-span-processor-options.js';

export { createPricer } from './core/price/pricer.js';
export type { Pricer, PriceInput, PricerOptions } from './core/price/pricer.js';
export {
  InvalidPriceOverrideError,
  type PriceOverride,
} from './core/price/price-override.js';
export { loadPriceOverrides } from './config/load-price-overrides.js';
export { UNPRICED_REASONS } from './core/price/cost-result.js';
export { MAX_CALL_COST_USD } from './core/price/max-call-cost.js';
export { MAX_TOKEN_COUNT } from './core/normalize/token-count.js';
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
  UsageKind,
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

// Attribution: who each LLM call is billed to.
export { withAttribution } from './attribution/with-attribution.js';
export type { WithAttributionOptions } from './attribution/with-attribution.js';
export { getAttribution } from './attribution/attribution-context.js';
export type { AttributionInput } from './attribution/attribution-context.js';
export { attributionMiddleware } from './attribution/attribution-middleware.js';
export type { TagsResolver } from './attribution/attribution-middleware.js';
export { withAttributionHandler } from './attribution/with-attribution-handler.js';
export { MANUAL_SCOPE_NAME, recordLlmCall } from './manual/record-llm-call.js';
export type {
  RecordedUsage,
  RecordLlmCallOptions,
} from './manual/record-llm-call.js';
export { CostEnrichingSpanExporter } from './exporter/cost-enriching-span-exporter.js';
export type { CostEnrichingSpanExporterOptions } from './exporter/cost-enriching-span-exporter.js';
export type { IdentityOptions } from './processor/identity-options.js';
export type { IdentityHint } from './core/cost-engine.js';
export { UNATTRIBUTED } from './core/identity.js';
export type { Identity } from './core/identity.js';
export type { CostRecord, CostSink } from './core/cost-record.js';
export {
  IdentityPolicy,
  REDACTED_EMAIL,
} from './core/identity/identity-policy.js';
export type {
  IdentityLayers,
  IdentityPolicyOptions,
} from './core/identity/identity-policy.js';
export {
  forEachIdentityEntry,
  readSpanIdentity,
} from './core/identity/read-span-identity.js';
export type { IdentityEntry } from './core/identity/read-span-identity.js';
export { scrubIdentityAttributes } from './core/identity/scrub-identity-attributes.js';
export { TraceIdentityIndex } from './core/identity/trace-identity-index.js';
export type { TraceIdentityIndexOptions } from './core/identity/trace-identity-index.js';
export {
  normalizeTagKey,
  WELL_KNOWN_TAG_KEYS,
} from './core/identity/tag-key.js';
export type { AttributionTags } from './core/identity/tag-key.js';
export { identityAttributes } from './outputs/identity-attributes.js';
export { openInferenceCostAliases } from './outputs/open-inference-cost-aliases.js';
export type { BackendAlias } from './outputs/open-inference-cost-aliases.js';
export {
  ATTR_APP_FEATURE,
  ATTR_APP_PLAN,
  ATTR_APP_TAG_PREFIX,
  ATTR_COST_ATTRIBUTION_SOURCE,
  ATTR_SESSION_ID,
  ATTR_TENANT_ID,
  ATTR_USER_ID,
} from './semconv.js';

// Metrics with bounded labels (the Prometheus helper is the subpath export
// `otel-genai-cost/prometheus`: it needs the optional SDK metric packages).
export { CostMetrics } from './metrics/cost-metrics.js';
export type {
  CostMetricsOptions,
  SeriesBound,
  SeriesSeed,
} from './metrics/cost-metrics.js';
export { LabelPolicy } from './metrics/label-policy.js';
export type {
  CostLabels,
  LabelDecision,
  LabelName,
  LabelValue,
} from './metrics/label-policy.js';
export type { LabelPolicyOptions } from './metrics/label-policy-options.js';
export { KNOWN_PROVIDER_NAMES } from './core/normalize/normalize-provider.js';
