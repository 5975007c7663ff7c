/**
 * Names, units and label keys of the cost metrics. The Prometheus rendering
 * (`@opentelemetry/exporter-prometheus` 0.223: dots become `_`, counters get
 * `_total`, no unit suffix is added) is noted next to each name.
 */
import {
  ATTR_COST_UNPRICED_REASON,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_RESPONSE_MODEL,
} from '../semconv.js';

/** Counter, USD. Prometheus: `gen_ai_client_cost_total`. */
export const METRIC_COST = 'gen_ai.client.cost';
/** Counter, `{token}`. Prometheus: `gen_ai_client_cost_tokens_total`. */
export const METRIC_TOKENS = 'gen_ai.client.cost.tokens';
/** Counter, `{call}`. Prometheus: `gen_ai_client_cost_calls_total`. */
export const METRIC_CALLS = 'gen_ai.client.cost.calls';
/** Counter, `{call}`. Prometheus: `gen_ai_client_cost_unpriced_calls_total`. */
export const METRIC_UNPRICED_CALLS = 'gen_ai.client.cost.unpriced_calls';
/** Counter, `{call}`. Prometheus: `gen_ai_client_cost_label_overflow_total`. */
export const METRIC_LABEL_OVERFLOW = 'gen_ai.client.cost.label_overflow';

export const UNIT_USD = 'USD';
export const UNIT_TOKEN = '{token}';
export const UNIT_CALL = '{call}';

/** Label keys. Prometheus replaces the dots with `_`. */
export const LABEL_PROVIDER = ATTR_GEN_AI_PROVIDER_NAME;
export const LABEL_MODEL = ATTR_GEN_AI_RESPONSE_MODEL;
export const LABEL_PLAN = 'plan';
export const LABEL_TENANT = 'tenant';
export const LABEL_TOKEN_TYPE = 'gen_ai.token.type';
export const LABEL_UNPRICED_REASON = ATTR_COST_UNPRICED_REASON;
/** On the overflow counter: which label lost its value. */
export const LABEL_OVERFLOWED = 'label';

/** `gen_ai.token.type` values. `input`/`output` are totals; the rest are parts of them. */
export type TokenType =
  'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning';
export const TOKEN_TYPES: readonly TokenType[] = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'reasoning',
];
