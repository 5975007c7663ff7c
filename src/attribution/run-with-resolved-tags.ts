import type { AttributionInput } from './attribution-context.js';
import { isPromiseLike, warnResolverFailed } from './attribution-middleware.js';
import { withAttribution } from './with-attribution.js';

/** What a framework helper's tag resolver may return. */
export type ResolvedTags =
  | AttributionInput
  | undefined
  | null
  | PromiseLike<AttributionInput | undefined | null>;

/**
 * Calls `resolve`, then `run` inside `withAttribution` with the tags it
 * gave. Synchronous when `resolve` is (the framework's fast path is kept),
 * otherwise a promise of `run`'s result. No tags, or a resolver that throws
 * or rejects (one `diag` warning), run `run` unattributed: a resolver never
 * fails the request.
 */
export function runWithResolvedTags<R>(
  resolve: () => ResolvedTags,
  run: () => R,
): R | Promise<R> {
  let resolved: ResolvedTags;
  try {
    resolved = resolve();
  } catch (error) {
    warnResolverFailed(error);
    return run();
  }
  if (!isPromiseLike<AttributionInput | undefined | null>(resolved)) {
    return runWithTags(resolved, run);
  }
  return Promise.resolve(resolved).then(
    tags => runWithTags(tags, run),
    (error: unknown) => {
      warnResolverFailed(error);
      return run();
    },
  );
}

function runWithTags<R>(
  tags: AttributionInput | undefined | null,
  run: () => R,
): R {
  return tags === undefined || tags === null
    ? run()
    : withAttribution(tags, run);
}
