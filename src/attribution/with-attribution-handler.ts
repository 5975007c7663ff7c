import type { TagsResolver } from './attribution-middleware.js';
import { warnResolverFailed } from './attribution-middleware.js';
import { withAttribution } from './with-attribution.js';

/**
 * Wraps a Web `Request` handler (Next.js route handlers, Hono, Remix,
 * `fetch`-style servers): resolves the request's tags, possibly
 * asynchronously, then runs the handler inside `withAttribution`. Extra
 * arguments (Next.js passes `{ params }`) are forwarded. A resolver that
 * throws is logged once per call and the handler runs unattributed.
 *
 * @example
 * export const POST = withAttributionHandler(
 *   async req => ({ userId: (await auth())?.user?.id }),
 *   async req => Response.json(await answer(await req.json())),
 * );
 */
export function withAttributionHandler<Request, Args extends unknown[], Result>(
  resolveTags: TagsResolver<Request>,
  handler: (request: Request, ...args: Args) => Result | PromiseLike<Result>,
): (request: Request, ...args: Args) => Promise<Result> {
  return async (request, ...args) => {
    let tags;
    try {
      tags = await resolveTags(request);
    } catch (error) {
      warnResolverFailed(error);
      tags = undefined;
    }
    if (tags === undefined || tags === null) return handler(request, ...args);
    return withAttribution(tags, () => handler(request, ...args));
  };
}
