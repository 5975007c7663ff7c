/**
 * `otel-genai-cost/core`: the building blocks the processor, the exporter
 * wrapper and the gateway are made of, for a custom shell (another span
 * source, another sink). Experimental: anything here may change or go away
 * in a minor release; pin the exact version if you use it. Applications
 * want the main entry, `otel-genai-cost`.
 *
 * @experimental
 * @packageDocumentation
 */

// The one evaluation pipeline every shell adapts to.
export { CostPipeline, createCostPipeline } from '../pipeline/cost-pipeline.js';
export {
  DEFAULT_PIPELINE_CONFIG,
  type PipelineConfig,
} from '../pipeline/pipeline-config.js';
export type { SpanOutcome } from '../pipeline/span-outcome.js';
export {
  MAX_UNPRICED_KEYS,
  UnpricedModels,
  type UnpricedModel,
} from '../pipeline/unpriced-models.js';
export type { SpanAttributeUpdate } from '../outputs/cost-span-update.js';

// Evaluation: select, normalize and price one span.
export { CostEngine } from '../core/cost-engine.js';
export type {
  CostEngineOptions,
  Evaluation,
  IdentityHint,
  SkipReason,
  StackedEngineOptions,
} from '../core/cost-engine.js';
export type { EmittersOption } from '../core/select/emitters.js';
export { SwappablePricer } from '../core/price/swappable-pricer.js';
export { classifySpan } from '../core/select/classify-span.js';
export type {
  SpanClass,
  SpanFamily,
  SpanRole,
} from '../core/select/classify-span.js';
export { normalizeSpan } from '../core/normalize/normalize-span.js';
export {
  KNOWN_PROVIDER_NAMES,
  normalizeProvider,
} from '../core/normalize/normalize-provider.js';
export type {
  Emitter,
  LlmCall,
  TokenUsage,
  UsageIssue,
  UsageKind,
} from '../core/llm-call.js';
export type {
  AttributeValue,
  SpanAttributes,
  SpanLike,
} from '../core/span-like.js';

// Identity: who a call is billed to, and the privacy rules.
export { UNATTRIBUTED } from '../core/identity.js';
export type { Identity } from '../core/identity.js';
export {
  IdentityPolicy,
  REDACTED_EMAIL,
} from '../core/identity/identity-policy.js';
export type {
  IdentityLayers,
  IdentityPolicyOptions,
  TagPath,
} from '../core/identity/identity-policy.js';
export {
  DEFAULT_SCRUB_BUDGET,
  ScrubBudget,
  type ScrubBudgetLimits,
} from '../core/identity/scrub-budget.js';
export {
  forEachIdentityEntry,
  readSpanIdentity,
} from '../core/identity/read-span-identity.js';
export type { IdentityEntry } from '../core/identity/read-span-identity.js';
export {
  scrubIdentityAttributes,
  type ScrubbedAttributeValue,
} from '../core/identity/scrub-identity-attributes.js';
export { TraceIdentityIndex } from '../core/identity/trace-identity-index.js';
export type { TraceIdentityIndexOptions } from '../core/identity/trace-identity-index.js';
export {
  normalizeTagKey,
  WELL_KNOWN_TAG_KEYS,
} from '../core/identity/tag-key.js';
export type { AttributionTags } from '../core/identity/tag-key.js';

// Outputs: the attributes a result becomes, and the metric label policy.
export {
  costAttributes,
  type CostAttributes,
} from '../outputs/cost-attributes.js';
export { identityAttributes } from '../outputs/identity-attributes.js';
export { openInferenceCostAliases } from '../outputs/open-inference-cost-aliases.js';
export type { BackendAlias } from '../outputs/open-inference-cost-aliases.js';
export { LabelPolicy } from '../metrics/label-policy.js';
export type {
  CostLabels,
  LabelDecision,
  LabelName,
  LabelValue,
} from '../metrics/label-policy.js';
export type {
  LabelPolicyOptions,
  ResolvedLabelPolicyOptions,
} from '../metrics/label-policy-options.js';

// Types the building blocks take and return.
export { UNPRICED_REASONS } from '../core/price/cost-result.js';
export type {
  ComputedCost,
  CostResult,
  CostSource,
  PricedCost,
  ReportedCost,
  UnpricedCost,
  UnpricedReason,
} from '../core/price/cost-result.js';
export type { CostRecord, CostSink } from '../core/cost-record.js';
export type { Pricer, PriceInput, PriceUsage } from '../core/price/pricer.js';
export type { PriceOverride } from '../core/price/price-override.js';
export type {
  DatedPrice,
  PriceRatesPerMTok,
  PriceTier,
} from '../core/price/price-schedule.js';
export type { Env } from '../config/env.js';

// Ledger reports: the query on a store, and the `report` command's formats and page.
export { queryLedger } from '../ledger/query/query-ledger.js';
export {
  dailySpendByTenant,
  type DailyTenantSpend,
} from '../ledger/query/daily-spend.js';
export { formatReportTable } from '../ledger/report/report-table.js';
export { formatReportCsv } from '../ledger/report/report-csv.js';
export {
  readReportPageData,
  type ReportPageData,
} from '../ledger/report/report-page-data.js';
export { renderReportPage } from '../ledger/report/report-page.js';

// Billing export building blocks: the key, the outbox, the plan, the request shapes.
export {
  eventKey,
  EVENT_KEY_VERSION,
  type EventKeyInput,
} from '../ledger/export/idempotency-key.js';
export {
  OUTBOX_DDL,
  type OutboxEntry,
} from '../ledger/export/billing-outbox.js';
export {
  aggregateDailyUsage,
  type DailyUsage,
} from '../ledger/export/aggregate-usage.js';
export { planExport, type ExportPlan } from '../ledger/export/plan-export.js';
export { destinationOf } from '../ledger/export/destinations/destination-of.js';
export type {
  ExportDestination,
  ExportRequest,
} from '../ledger/export/destinations/export-destination.js';

// Ledger maintenance (the `ledger prune` and `ledger forget` commands).
export { openLedgerStore } from '../ledger/open-ledger-store.js';
export { pruneLedger } from '../ledger/retention.js';
export type { PruneResult } from '../ledger/retention.js';
export { forgetUser } from '../ledger/forget-user.js';
export type {
  ForgetIdentityOptions,
  ForgetResult,
} from '../ledger/forget-user.js';
export {
  LEDGER_QUERY_BY,
  LedgerQueryError,
} from '../ledger/query/ledger-query.js';
// Billing export (the `export` command): usage per customer per day, once.
export { exportUsage } from '../ledger/export/run-export.js';
export type {
  ExportedEvent,
  ExportUsageOptions,
  ExportUsageReport,
} from '../ledger/export/run-export.js';
export { exportUsageCsv } from '../ledger/export/usage-csv.js';
export { ExportError } from '../ledger/export/export-error.js';
export {
  loadCustomerTable,
  parseCustomerTable,
} from '../ledger/export/customer-map.js';
export type { CustomerMap } from '../ledger/export/customer-map.js';
export type { ExportPeriod } from '../ledger/export/export-period.js';
export type {
  SkippedUsage,
  SkipReason as ExportSkipReason,
  UnpricedUsage,
} from '../ledger/export/plan-export.js';
// Budgets: metric names, errors, the budgets file and webhook constants.
export {
  METRIC_BUDGET_DROPPED,
  METRIC_BUDGET_STORE_ERRORS,
  METRIC_BUDGET_UNPRICED,
} from '../budget/budget-guard.js';
export { BudgetConfigError } from '../budget/budget-config-error.js';
export { DEFAULT_RETRY_AFTER_SECONDS } from '../budget/budget-exceeded-error.js';
export {
  BUDGET_WEBHOOK_EVENT_ID_HEADER,
  BUDGET_WEBHOOK_SIGNATURE_HEADER,
} from '../budget/alerts/webhook-signature.js';
export { BUDGET_ALERT_EVENT_TYPE } from '../budget/alerts/alert-payload.js';
export { BudgetWebhookConfigError } from '../budget/alerts/webhook-options.js';
export {
  METRIC_BUDGET_ALERTS,
  METRIC_BUDGET_ALERT_DELIVERY_FAILURES,
} from '../budget/alerts/alert-metrics.js';
export { BudgetFileError, loadBudgetFile } from '../budget/budget-file.js';
// Types the building blocks above take and return (the main entry has the
// ledger's and budgets' application-facing types too).
export type {
  LedgerQuery,
  LedgerQueryBy,
  LedgerReportRow,
} from '../ledger/query/ledger-query.js';
export type {
  LedgerDialect,
  LedgerSqlParam,
  LedgerStore,
} from '../ledger/ledger-store.js';
export type { LedgerRow } from '../ledger/ledger-row.js';
export type {
  Budget,
  BudgetAlert,
  BudgetScope,
  BudgetWindow,
} from '../budget/budget-types.js';
export type { BudgetWebhookOptions } from '../budget/alerts/webhook-options.js';
export type { BudgetGuardOptions } from '../budget/budget-guard-options.js';
export type { ExportCustomerBy } from '../ledger/export/aggregate-usage.js';
export type {
  DeliveryVerdict,
  ExportTarget,
} from '../ledger/export/destinations/export-destination.js';
export type { PlanInput } from '../ledger/export/plan-export.js';
export type { ExportEvent } from '../ledger/export/export-event.js';
export type { OutboxStatus } from '../ledger/export/billing-outbox.js';
export type { RetryPolicy } from '../ledger/export/send-event.js';
