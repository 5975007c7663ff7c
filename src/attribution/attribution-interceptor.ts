import type {
  CallHandler,
  ExecutionContext,
  NestInterceptor,
} from '@nestjs/common';
import { context as otelContext } from '@opentelemetry/api';
import type { Observable, Subscriber, TeardownLogic } from 'rxjs';
import type { ResolvedTags } from './run-with-resolved-tags.js';
import { runWithResolvedTags } from './run-with-resolved-tags.js';

/**
 * Finds the tags of a NestJS request: `request` is
 * `context.switchToHttp().getRequest()` (Express or Fastify request, with
 * `request.user` set by your guards); for RPC, WebSocket or GraphQL
 * handlers read what you need from `context`.
 */
export type NestTagsResolver<Request = unknown> = (
  request: Request,
  context: ExecutionContext,
) => ResolvedTags;

/**
 * NestJS interceptor: resolves the request's tags (after the guards, so
 * `request.user` is there; the resolver may be async), then calls
 * `next.handle()` inside `withAttribution`. Nest binds the handler (pipes
 * included) to the async context `handle()` is called in, so the handler,
 * however many awaits later, and every LLM call it makes carry the tags. A
 * resolver that throws or rejects logs one `diag` warning and the request
 * continues unattributed.
 *
 * A plain class with no decorators: create it with `new`, as a global
 * interceptor or an `APP_INTERCEPTOR` provider (`useValue`/`useFactory`, to
 * inject services into the resolver).
 *
 * Checked with NestJS 12 (Express platform) and the
 * `AsyncLocalStorageContextManager`.
 *
 * @example
 * app.useGlobalInterceptors(
 *   new AttributionInterceptor(req => ({ userId: req.user?.id })),
 * );
 */
export class AttributionInterceptor<
  Request = unknown,
> implements NestInterceptor {
  readonly #resolveTags: NestTagsResolver<Request>;

  constructor(resolveTags: NestTagsResolver<Request>) {
    this.#resolveTags = resolveTags;
  }

  /** Runs the rest of the request inside the request's attribution. */
  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    return runWithResolvedTags(
      () =>
        this.#resolveTags(
          context.switchToHttp().getRequest<Request>(),
          context,
        ),
      () => subscribedInActiveContext(next.handle()),
    );
  }
}

type ObservableClass = new (
  subscribe: (subscriber: Subscriber<unknown>) => TeardownLogic,
) => Observable<unknown>;

/**
 * `source`, subscribed to in the context active now. Built with the class
 * of `source` itself (rxjs `Observable`), so nothing is imported from rxjs;
 * a source without one is returned as is.
 */
function subscribedInActiveContext(
  source: Observable<unknown>,
): Observable<unknown> {
  const active = otelContext.active();
  const Class = source.constructor as ObservableClass | undefined;
  if (typeof Class !== 'function') return source;
  return new Class(subscriber =>
    otelContext.with(active, () => source.subscribe(subscriber)),
  );
}
