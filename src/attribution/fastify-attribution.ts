import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { ResolvedTags } from './run-with-resolved-tags.js';
import { runWithResolvedTags } from './run-with-resolved-tags.js';

/** Finds a Fastify request's tags; may be async (a session look-up). */
export type FastifyTagsResolver = (
  request: FastifyRequest,
  reply: FastifyReply,
) => ResolvedTags;

/** The Fastify request hooks the attribution hook can run in. */
export type FastifyAttributionHook =
  'onRequest' | 'preValidation' | 'preHandler';

/** Options of the {@link fastifyAttribution} plugin. */
export interface FastifyAttributionOptions {
  /** The request's tags, e.g. `req => ({ userId: req.user?.id })`. */
  readonly resolveTags: FastifyTagsResolver;
  /**
   * The hook it runs in. `preHandler` (after body parsing, validation and
   * the `onRequest`/`preValidation` auth hooks) sees `request.user` and
   * `request.body`; `onRequest` also covers the hooks that follow it.
   * @defaultValue 'preHandler'
   */
  readonly hook?: FastifyAttributionHook | undefined;
}

/**
 * A callback-style Fastify hook (`onRequest`, `preValidation` or
 * `preHandler`, app- or route-level): resolves the request's tags, then
 * calls `done()` inside `withAttribution`. Fastify runs every later hook
 * and the route handler from that `done()`, and carries the async context
 * across body parsing, so the handler and every LLM call it makes carry the
 * tags. A resolver that throws or rejects logs one `diag` warning and the
 * request continues unattributed.
 *
 * @example
 * app.get('/chat', { preHandler: [app.authenticate, attributionHook(req => ({ userId: req.user.id }))] }, handler);
 */
export function attributionHook(
  resolveTags: FastifyTagsResolver,
): (
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => void {
  // Callback style on purpose: after an async hook Fastify resumes from a
  // promise callback, outside any context this hook could set.
  return (request, reply, done) => {
    void runWithResolvedTags(
      () => resolveTags(request, reply),
      () => done(),
    );
  };
}

/**
 * Fastify plugin: adds {@link attributionHook} to every route of the
 * instance it is registered on (it is not encapsulated, as with
 * `fastify-plugin`). Register it after your auth plugin.
 *
 * Checked with Fastify 5 and the `AsyncLocalStorageContextManager`.
 *
 * @example
 * await app.register(fastifyAttribution, {
 *   resolveTags: req => ({ userId: req.user?.id, tenantId: req.headers['x-tenant-id'] as string }),
 * });
 */
export const fastifyAttribution: FastifyPluginCallback<FastifyAttributionOptions> =
  Object.assign(
    function fastifyAttribution(
      instance: Parameters<FastifyPluginCallback<FastifyAttributionOptions>>[0],
      options: FastifyAttributionOptions,
      done: (error?: Error) => void,
    ): void {
      instance.addHook(
        options.hook ?? 'preHandler',
        attributionHook(options.resolveTags),
      );
      done();
    },
    {
      // What `fastify-plugin` sets: apply to the parent instance, named.
      [Symbol.for('skip-override')]: true,
      [Symbol.for('fastify.display-name')]: 'otel-genai-cost-attribution',
      [Symbol.for('plugin-meta')]: {
        name: 'otel-genai-cost-attribution',
        fastify: '>=4',
      },
    },
  );
