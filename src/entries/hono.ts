/**
 * `otel-genai-cost/hono`: request attribution for Hono (types only from
 * `hono`; nothing is imported from it at run time).
 *
 * @packageDocumentation
 */
export { honoAttribution } from '../attribution/hono-attribution.js';
export type { ResolvedTags } from '../attribution/run-with-resolved-tags.js';
export type { AttributionInput } from '../attribution/attribution-context.js';
