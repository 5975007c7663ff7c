import { context, diag, type Context } from '@opentelemetry/api';
import {
  attributionScope,
  contextWithAttribution,
  contextWithAttributionBaggage,
  type AttributionInput,
} from './attribution-context.js';

export interface WithAttributionOptions {
  /**
   * `baggage` also puts the merged tags into W3C baggage, so services called
   * from `fn` receive them in the `baggage` HTTP header (a receiving
   * `CostSpanProcessor` with `propagation: 'baggage'` reads them back). The
   * header goes to EVERY outgoing request, third parties included: send only
   * ids you would put in a URL. @defaultValue 'none'
   */
  readonly propagation?: 'none' | 'baggage' | undefined;
}

/**
 * Runs `fn` with attribution tags in the active OpenTelemetry context, so
 * every LLM span started inside, however deeply nested or however many
 * awaits later, is billed to them. Nested calls merge, the inner value
 * winning per key. Returns what `fn` returns (a promise stays a promise).
 *
 * Needs a context manager (`NodeSDK`, `NodeTracerProvider.register()` and
 * `@vercel/otel` install one); without it the tags are lost after the first
 * `await`, as for any OpenTelemetry context.
 *
 * @example
 * await withAttribution({ userId: user.id, tenantId: org.id }, () =>
 *   generateText({ model, prompt }),
 * );
 */
export function withAttribution<R>(
  tags: AttributionInput,
  fn: () => R,
  options: WithAttributionOptions = {},
): R {
  let ctx: Context;
  try {
    ctx = contextWithAttribution(context.active(), tags);
    if (options.propagation === 'baggage') {
      const tagsNow = attributionScope(ctx)?.tags ?? {};
      ctx = contextWithAttributionBaggage(ctx, tagsNow);
    }
  } catch (error) {
    diag.warn('otel-genai-cost: ignoring invalid attribution tags', error);
    return fn();
  }
  return context.with(ctx, fn);
}
