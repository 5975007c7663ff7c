/**
 * `AttributionInterceptor` with a real NestJS 12 app (Express platform) on
 * 127.0.0.1 and the AsyncLocalStorage context manager: concurrent requests
 * from different users, a guard that sets `request.user` after a timer,
 * handlers that return a promise or a cold Observable, each waiting and
 * then making a priced LLM call. Every LLM span must carry its own
 * request's user.
 *
 * The Nest classes are decorated by calling the decorators as functions
 * (no decorator syntax, no emitted metadata: nothing here is injected by
 * type), so the test does not depend on how vitest compiles decorators.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import {
  Controller,
  Get,
  Module,
  Post,
  Req,
  UseInterceptors,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import type { Tracer } from '@opentelemetry/api';
import { Observable } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AttributionInterceptor,
  type NestTagsResolver,
} from 'otel-genai-cost/nestjs';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import {
  RESOLVER_WARNING,
  USER_HEADER,
  captureWarnings,
  delaysOf,
  expectBodiesOwnTags,
  expectEachCallAttributed,
  pause,
  requestsFrom,
  routeWork,
  sendConcurrently,
  type SentRequest,
} from './framework-harness.js';

interface AuthedRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  user?: { id: string };
}

let tracing: TestTracing;
let tracer: Tracer;
const apps: INestApplication[] = [];

beforeAll(() => {
  tracing = setupTracing({ registerGlobally: true });
  tracer = tracing.tracer('app');
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map(app => app.close()));
  tracing.exporter.reset();
});
afterAll(async () => {
  await tracing.shutdown();
});

function work(request: AuthedRequest) {
  return routeWork(
    tracer,
    request.headers['x-request-id'] as string,
    delaysOf(request.headers['x-delays']),
  );
}

class ChatController {
  /** A promise-returning handler. */
  async get(request: AuthedRequest) {
    return work(request);
  }
  /** A handler returning a cold Observable: the LLM call runs on subscription. */
  post(request: AuthedRequest): Observable<unknown> {
    return new Observable(subscriber => {
      work(request).then(
        result => {
          subscriber.next(result);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
    });
  }
}
for (const [method, decorator] of [
  ['get', Get('chat')],
  ['post', Post('chat')],
] as const) {
  const descriptor = Object.getOwnPropertyDescriptor(
    ChatController.prototype,
    method,
  ) as PropertyDescriptor;
  decorator(ChatController.prototype, method, descriptor);
  Req()(ChatController.prototype, method, 0);
}

/** A guard that knows the user only after a timer, as a session look-up. */
class SlowAuthGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const id = request.headers[USER_HEADER];
    await pause(1);
    if (typeof id === 'string') request.user = { id };
    return true;
  }
}

const byUser: NestTagsResolver<AuthedRequest> = request =>
  request.user === undefined ? undefined : { userId: request.user.id };

type Mount =
  | { readonly global: NestInterceptor }
  | { readonly provider: () => NestInterceptor }
  | { readonly controller: NestInterceptor };

async function start(mount: Mount): Promise<string> {
  class AppModule {}
  const Chat = class extends ChatController {};
  Controller('api')(Chat);
  if ('controller' in mount) UseInterceptors(mount.controller)(Chat);
  Module({
    controllers: [Chat],
    providers:
      'provider' in mount
        ? [{ provide: APP_INTERCEPTOR, useFactory: mount.provider }]
        : [],
  })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  apps.push(app);
  app.useGlobalGuards(new SlowAuthGuard());
  if ('global' in mount) app.useGlobalInterceptors(mount.global);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}/api/chat`;
}

describe('AttributionInterceptor (NestJS 12, Express platform)', () => {
  it.each([
    ['a global interceptor', { global: new AttributionInterceptor(byUser) }],
    [
      'an APP_INTERCEPTOR provider',
      { provider: () => new AttributionInterceptor(byUser) },
    ],
    [
      'a controller interceptor',
      { controller: new AttributionInterceptor(byUser) },
    ],
  ] as [string, Mount][])(
    'as %s, keeps 20 concurrent promise and 20 concurrent Observable handlers of different users apart',
    async (_name, mount) => {
      const url = await start(mount);
      const gets = requestsFrom(20, 'get-');
      const posts: SentRequest[] = [
        ...requestsFrom(20, 'post-'),
        { requestId: 'anonymous', userId: undefined },
      ];
      const [getResponses, postResponses] = await Promise.all([
        sendConcurrently(url, gets),
        sendConcurrently(url, posts, { method: 'POST' }),
      ]);
      expectBodiesOwnTags(getResponses, gets);
      expectBodiesOwnTags(postResponses, posts, 201); // Nest answers POST with 201
      expectEachCallAttributed(await tracing.spans(), [...gets, ...posts]);
    },
  );

  it('accepts an async resolver', async () => {
    const url = await start({
      global: new AttributionInterceptor<AuthedRequest>(async request => {
        await pause(Math.floor(Math.random() * 3));
        return request.user === undefined
          ? undefined
          : { userId: request.user.id };
      }),
    });
    const gets = requestsFrom(15, 'async-get-');
    const posts = requestsFrom(15, 'async-post-');
    const [getResponses, postResponses] = await Promise.all([
      sendConcurrently(url, gets),
      sendConcurrently(url, posts, { method: 'POST' }),
    ]);
    expectBodiesOwnTags(getResponses, gets);
    expectBodiesOwnTags(postResponses, posts, 201);
    expectEachCallAttributed(await tracing.spans(), [...gets, ...posts]);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('session store down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('session store down'))],
  ])(
    'serves the request unattributed, with one diag warning, when the resolver %s',
    async (_name, resolveTags) => {
      const url = await start({
        global: new AttributionInterceptor(resolveTags),
      });
      const capture = captureWarnings();
      let responses;
      try {
        responses = await sendConcurrently(url, [
          { requestId: 'failing', userId: 'u-1' },
        ]);
      } finally {
        capture.stop();
      }
      expect(responses).toEqual([{ status: 200, body: { tags: null } }]);
      expect(capture.warnings).toEqual([RESOLVER_WARNING]);
      expectEachCallAttributed(await tracing.spans(), [
        { requestId: 'failing', userId: undefined },
      ]);
    },
  );
});
