import { diag } from '@opentelemetry/api';
import type { AttributionInput } from './attribution-context.js';
import { withAttribution } from './with-attribution.js';

/** Finds a request's tags; may be async (a session look-up). */
export type TagsResolver<Request> = (
  request: Request,
) => AttributionInput | undefined | PromiseLike<AttributionInput | undefined>;

/**
 * Express-style middleware `(req, res, next)`: resolves the request's tags
 * and calls `next()` inside `withAttribution`, so every handler after it,
 * and every LLM call they make, carries them. Mount it after your auth
 * middleware. `undefined` tags, or a resolver that throws (one `diag`
 * warning), continue unattributed; the request is never failed by it.
 *
 * Checked with Express 5 and the `AsyncLocalStorageContextManager`.
 *
 * @example
 * app.use(attributionMiddleware(req => ({ userId: req.user?.id })));
 */
export function attributionMiddleware<Request = unknown, Response = unknown>(
  resolveTags: TagsResolver<Request>,
): (
  request: Request,
  response: Response,
  next: (error?: unknown) => void,
) => void {
  return (request, _response, next) => {
    let resolved: ReturnType<TagsResolver<Request>>;
    try {
      resolved = resolveTags(request);
    } catch (error) {
      warnResolverFailed(error);
      next();
      return;
    }
    if (isPromiseLike(resolved)) {
      resolved.then(
        tags => runNext(tags, next),
        (error: unknown) => {
          warnResolverFailed(error);
          next();
        },
      );
      return;
    }
    runNext(resolved, next);
  };
}

function runNext(
  tags: AttributionInput | undefined,
  next: (error?: unknown) => void,
): void {
  if (tags === undefined || tags === null) {
    next();
    return;
  }
  withAttribution(tags, () => next());
}

export function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

export function warnResolverFailed(error: unknown): void {
  diag.warn(
    'otel-genai-cost: the attribution tag resolver threw; continuing unattributed',
    error,
  );
}
