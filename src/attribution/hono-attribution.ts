import type { Context, Env, MiddlewareHandler } from 'hono';
import type { ResolvedTags } from './run-with-resolved-tags.js';
import { runWithResolvedTags } from './run-with-resolved-tags.js';

/**
 * Hono middleware: resolves the request's tags from the Hono `Context`
 * (`c.req.header(...)`, `c.get('user')` set by your auth middleware; the
 * resolver may be async), then awaits `next()` inside `withAttribution`, so
 * every handler and middleware after it, and every LLM call they make,
 * carry them. A resolver that throws or rejects logs one `diag` warning and
 * the request continues unattributed; it is never failed by it.
 *
 * Checked with Hono 4 on `@hono/node-server` and the
 * `AsyncLocalStorageContextManager`; any runtime with an OpenTelemetry
 * context manager works the same way.
 *
 * @example
 * app.use('/api/*', honoAttribution(c => ({ userId: c.get('user')?.id })));
 */
export function honoAttribution<E extends Env = Env>(
  resolveTags: (c: Context<E>) => ResolvedTags,
): MiddlewareHandler<E> {
  return async (c, next) => {
    await runWithResolvedTags(
      () => resolveTags(c),
      () => next(),
    );
  };
}
