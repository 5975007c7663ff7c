/**
 * `otel-genai-cost`: prices every LLM call in your OpenTelemetry spans once
 * and attributes the cost to users and tenants.
 *
 * The main entry holds what an application calls: the span processor (or the
 * exporter wrapper), the attribution helpers, `recordLlmCall`, the pricer,
 * the metrics sink, and the types they take and return. Other entries:
 * `otel-genai-cost/semconv` (attribute names), `otel-genai-cost/prometheus`
 * (a `/metrics` endpoint; needs the optional SDK metric packages) and
 * `otel-genai-cost/core` (experimental building blocks for custom shells).
 *
 * @packageDocumentation
 */

// Pricing spans in process.
export { CostSpanProcessor } from './processor/cost-span-processor.js';
export type { CostSpanProcessorOptions } from './processor/cost-span-processor-options.js';
export type { EmittersOption } from './core/select/emitters.js';
export { CostEnrichingSpanExporter } from './exporter/cost-enriching-span-exporter.js';
export type { CostEnrichingSpanExporterOptions } from './exporter/cost-enriching-span-exporter.js';
export type {
  SdkExportResult,
  SdkReadableSpan,
  SdkSpan,
  SdkSpanExporter,
  SdkSpanProcessor,
} from './sdk/sdk-types.js';
export { CostAwareSampler } from './sampling/cost-aware-sampler.js';
export type { CostAwareSamplerOptions } from './sampling/cost-aware-sampler.js';
export type { IdentityOptions } from './processor/identity-options.js';
export type { IdentityPolicyOptions } from './core/identity/identity-policy.js';
export type { BackendAlias } from './outputs/open-inference-cost-aliases.js';
export type { Env } from './config/env.js';

// Attribution: who each LLM call is billed to.
export { withAttribution } from './attribution/with-attribution.js';
export type { WithAttributionOptions } from './attribution/with-attribution.js';
export { getAttribution } from './attribution/attribution-context.js';
export type { AttributionInput } from './attribution/attribution-context.js';
export { attributionMiddleware } from './attribution/attribution-middleware.js';
export type { TagsResolver } from './attribution/attribution-middleware.js';
export { withAttributionHandler } from './attribution/with-attribution-handler.js';
export type { AttributionTags } from './core/identity/tag-key.js';

// Calls no instrumentation sees.
export { recordLlmCall } from './manual/record-llm-call.js';
export type {
  RecordedUsage,
  RecordLlmCallOptions,
} from './manual/record-llm-call.js';

// Prices.
export { createPricer } from './core/price/pricer.js';
export type {
  Pricer,
  PriceInput,
  PriceUsage,
  PricerOptions,
  PriceData,
} from './core/price/pricer.js';
export {
  InvalidPriceOverrideError,
  type PriceOverride,
} from './core/price/price-override.js';
export type {
  DatedPrice,
  PriceRatesPerMTok,
  PriceTier,
} from './core/price/price-schedule.js';
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
export type {
  Emitter,
  LlmCall,
  TokenUsage,
  UsageIssue,
  UsageKind,
} from './core/llm-call.js';

// Metrics with bounded labels (a `/metrics` endpoint is the subpath export
// `otel-genai-cost/prometheus`: it needs the optional SDK metric packages).
export { CostMetrics } from './metrics/cost-metrics.js';
export type {
  CostMetricsOptions,
  SeriesBound,
  SeriesSeed,
} from './metrics/cost-metrics.js';
export type {
  LabelPolicyOptions,
  ResolvedLabelPolicyOptions,
} from './metrics/label-policy-options.js';
// The policy's type only (`CostMetrics.policy`, `CostMetricsOptions.labelPolicy`);
// its constructor is an experimental building block of `otel-genai-cost/core`.
export type {
  CostLabels,
  LabelDecision,
  LabelName,
  LabelPolicy,
  LabelValue,
} from './metrics/label-policy.js';
export type { CostRecord, CostSink } from './core/cost-record.js';
export type { Identity } from './core/identity.js';

// The cost ledger: one row per call, keyed by (trace id, span id).
export { CostLedger, METRIC_LEDGER_DROPPED } from './ledger/cost-ledger.js';
export type { CostLedgerOptions } from './ledger/cost-ledger-options.js';
export { LedgerConfigError } from './ledger/ledger-config-error.js';
export type { LedgerDropReason, LedgerStats } from './ledger/ledger-stats.js';
export type { LedgerRow } from './ledger/ledger-row.js';
export type {
  LedgerDialect,
  LedgerSqlParam,
  LedgerStore,
  OpenLedgerStore,
} from './ledger/ledger-store.js';
// Reports over the ledger (`ledger.query`, `openLedgerReader`, the `report`
// command). Maintenance (`forgetUser`, `pruneLedger`) and the billing export
// (`exportUsage`) are on `otel-genai-cost/core`.
export { openLedgerReader } from './ledger/ledger-reader.js';
export type { LedgerReader } from './ledger/ledger-reader.js';
export type {
  LedgerQuery,
  LedgerQueryBy,
  LedgerReportRow,
} from './ledger/query/ledger-query.js';

// Budgets: spend per user, tenant and plan, shared across replicas. Metric
// names, the budgets file loader and the webhook constants are on
// `otel-genai-cost/core`.
export { BudgetGuard } from './budget/budget-guard.js';
export type { BudgetGuardOptions } from './budget/budget-guard-options.js';
export type {
  BudgetDropReason,
  BudgetGuardStats,
} from './budget/budget-guard-stats.js';
export type {
  AlertDelivery,
  Budget,
  BudgetAlert,
  BudgetCheck,
  BudgetCheckOptions,
  BudgetScope,
  BudgetSubject,
  BudgetWindow,
  ExceededBudget,
} from './budget/budget-types.js';
// Budgets: refusing calls over budget, and checking the alert webhook.
export { BudgetExceededError } from './budget/budget-exceeded-error.js';
export { budgetMiddleware } from './budget/middleware/budget-middleware.js';
export type {
  BudgetExceededBody,
  BudgetMiddlewareOptions,
  BudgetResponse,
} from './budget/middleware/budget-middleware.js';
export { budgetLanguageModelMiddleware } from './budget/middleware/budget-language-model-middleware.js';
export type {
  BudgetLanguageModelMiddleware,
  BudgetLanguageModelMiddlewareOptions,
} from './budget/middleware/budget-language-model-middleware.js';
export type {
  BudgetChecker,
  BudgetSubjectInput,
} from './budget/middleware/budget-checker.js';
export { verifyBudgetWebhook } from './budget/alerts/webhook-signature.js';
export type { VerifyBudgetWebhookOptions } from './budget/alerts/webhook-signature.js';
export type { BudgetAlertEvent } from './budget/alerts/alert-payload.js';
export type { BudgetWebhookOptions } from './budget/alerts/webhook-options.js';
export type { AlertDeliveryFailure } from './budget/alerts/alert-metrics.js';
