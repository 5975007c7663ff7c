import {
  context,
  createContextKey,
  propagation,
  type Context,
} from '@opentelemetry/api';
import {
  normalizeTags,
  type AttributionTags,
} from '../core/identity/tag-key.js';

/**
 * Tags a caller passes: `userId`, `tenantId`, `plan`, `feature`,
 * `sessionId` or any other key. `undefined` values are skipped, so
 * `{ userId: req.user?.id }` is fine. Spellings such as `user_id` or
 * `user.id` are read as `userId`.
 */
export type AttributionInput = Readonly<Record<string, string | undefined>>;

/** What the context carries: merged tags and who set them. */
export interface AttributionScope {
  readonly tags: AttributionTags;
  /** `manual` when set by `recordLlmCall({ tags })`. */
  readonly source: 'context' | 'manual';
}

/**
 * `createContextKey` is `Symbol.for(description)`, so two copies of this
 * library (ESM and CJS) share the key.
 */
export const ATTRIBUTION_CONTEXT_KEY = createContextKey(
  'otel-genai-cost.attribution',
);

/** The attribution scope stored in `ctx`, if any. */
export function attributionScope(ctx: Context): AttributionScope | undefined {
  const value = ctx.getValue(ATTRIBUTION_CONTEXT_KEY) as
    AttributionScope | undefined;
  return value !== undefined && typeof value.tags === 'object'
    ? value
    : undefined;
}

/**
 * The attribution tags in effect (merged over every enclosing
 * `withAttribution`), or undefined outside any. A plain JSON-serializable
 * object: store it with a queued job and restore it with `withAttribution`.
 */
export function getAttribution(
  ctx: Context = context.active(),
): AttributionTags | undefined {
  return attributionScope(ctx)?.tags;
}

/** `ctx` with `tags` merged over its current attribution (inner wins). */
export function contextWithAttribution(
  ctx: Context,
  tags: AttributionInput,
  source: 'context' | 'manual' = 'context',
): Context {
  const outer = attributionScope(ctx);
  const inner = normalizeTags(tags);
  const merged = outer === undefined ? inner : { ...outer.tags, ...inner };
  const scope: AttributionScope = Object.freeze({
    tags: Object.freeze(merged),
    source,
  });
  return ctx.setValue(ATTRIBUTION_CONTEXT_KEY, scope);
}

/**
 * `ctx` with the tags also written as W3C baggage entries, which the
 * propagator sends in the `baggage` header of every outgoing request.
 */
export function contextWithAttributionBaggage(
  ctx: Context,
  tags: AttributionTags,
): Context {
  let baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  for (const [key, value] of Object.entries(tags)) {
    baggage = baggage.setEntry(key, { value });
  }
  return propagation.setBaggage(ctx, baggage);
}
