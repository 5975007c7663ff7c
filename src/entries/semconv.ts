/**
 * `otel-genai-cost/semconv`: the names this library writes on spans (cost,
 * attribution) and the instrumentation scope of `recordLlmCall` spans. Use
 * them to read the attributes back in an exporter, a test or a query.
 *
 * @packageDocumentation
 */

// Written on every priced or unpriced LLM call span.
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
} from '../semconv.js';

// Attribution: who the call is billed to.
export {
  ATTR_APP_FEATURE,
  ATTR_APP_PLAN,
  ATTR_APP_TAG_PREFIX,
  ATTR_COST_ATTRIBUTION_SOURCE,
  ATTR_SESSION_ID,
  ATTR_TENANT_ID,
  ATTR_USER_ID,
} from '../semconv.js';

// The instrumentation scope of the spans `recordLlmCall` starts.
export { MANUAL_SCOPE_NAME } from '../manual/record-llm-call.js';
