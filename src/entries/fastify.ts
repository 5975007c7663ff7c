/**
 * `otel-genai-cost/fastify`: request attribution for Fastify (types only
 * from `fastify`; nothing is imported from it at run time).
 *
 * @packageDocumentation
 */
export {
  attributionHook,
  fastifyAttribution,
} from '../attribution/fastify-attribution.js';
export type {
  FastifyAttributionHook,
  FastifyAttributionOptions,
  FastifyTagsResolver,
} from '../attribution/fastify-attribution.js';
export type { ResolvedTags } from '../attribution/run-with-resolved-tags.js';
export type { AttributionInput } from '../attribution/attribution-context.js';
