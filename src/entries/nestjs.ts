/**
 * `otel-genai-cost/nestjs`: request attribution for NestJS (types only from
 * `@nestjs/common` and `rxjs`; nothing is imported from them at run time).
 *
 * @packageDocumentation
 */
export { AttributionInterceptor } from '../attribution/attribution-interceptor.js';
export type { NestTagsResolver } from '../attribution/attribution-interceptor.js';
export type { ResolvedTags } from '../attribution/run-with-resolved-tags.js';
export type { AttributionInput } from '../attribution/attribution-context.js';
