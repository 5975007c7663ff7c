/**
 * `fastifyAttribution` / `attributionHook` with a real Fastify 5 server on
 * 127.0.0.1 and the AsyncLocalStorage context manager: concurrent requests
 * from different users (GET and POST with a body, every hook it can run
 * in), each handler waiting and then making a priced LLM call. Every LLM
 * span must carry its own request's user.
 */
import type { Tracer } from '@opentelemetry/api';
import fc from 'fast-check';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  attributionHook,
  fastifyAttribution,
  type FastifyAttributionHook,
  type FastifyAttributionOptions,
} from 'otel-genai-cost/fastify';
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

declare module 'fastify' {
  interface FastifyRequest {
    user?: { id: string };
  }
}

let tracing: TestTracing;
let tracer: Tracer;
const apps: FastifyInstance[] = [];

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

/** An auth hook that knows the user only after a timer, as a session look-up. */
function slowAuth(
  request: FastifyRequest,
  _reply: unknown,
  done: (error?: Error) => void,
): void {
  const id = request.headers[USER_HEADER];
  setTimeout(() => {
    if (typeof id === 'string') request.user = { id };
    done();
  }, 1);
}

const byUser: FastifyAttributionOptions['resolveTags'] = request =>
  request.user === undefined ? undefined : { userId: request.user.id };

async function start(
  register: (app: FastifyInstance) => void | Promise<void>,
): Promise<string> {
  const app = Fastify();
  apps.push(app);
  await register(app);
  const handler = (request: FastifyRequest) =>
    routeWork(
      tracer,
      request.headers['x-request-id'] as string,
      delaysOf(request.headers['x-delays']),
    );
  app.get('/chat', handler);
  app.post('/chat', handler);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string')
    throw new Error('no port');
  return `http://127.0.0.1:${address.port}/chat`;
}

describe('fastifyAttribution (Fastify 5)', () => {
  it('keeps 20 concurrent GET and 20 concurrent POST requests of different users apart', async () => {
    const url = await start(async app => {
      app.addHook('onRequest', slowAuth);
      await app.register(fastifyAttribution, { resolveTags: byUser });
    });
    const gets = requestsFrom(20, 'get-');
    const posts = requestsFrom(20, 'post-');
    const [getResponses, postResponses] = await Promise.all([
      sendConcurrently(url, gets),
      sendConcurrently(url, posts, { method: 'POST' }),
    ]);
    expectBodiesOwnTags(getResponses, gets);
    expectBodiesOwnTags(postResponses, posts);
    expectEachCallAttributed(await tracing.spans(), [...gets, ...posts]);
  });

  it('applies to routes of child plugins (it is not encapsulated)', async () => {
    const app = Fastify();
    apps.push(app);
    app.addHook('onRequest', slowAuth);
    await app.register(fastifyAttribution, { resolveTags: byUser });
    await app.register(
      async child => {
        child.get('/chat', request =>
          routeWork(tracer, request.headers['x-request-id'] as string),
        );
      },
      { prefix: '/v1' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const requests = requestsFrom(10, 'child-');
    const responses = await sendConcurrently(
      `http://127.0.0.1:${port}/v1/chat`,
      requests,
    );
    expectBodiesOwnTags(responses, requests);
    expectEachCallAttributed(await tracing.spans(), requests);
  });

  it('works as a route-level hook after a route-level auth hook', async () => {
    const app = Fastify();
    apps.push(app);
    app.get(
      '/chat',
      { preHandler: [slowAuth, attributionHook(byUser)] },
      request => routeWork(tracer, request.headers['x-request-id'] as string),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const requests = requestsFrom(20, 'route-');
    const responses = await sendConcurrently(
      `http://127.0.0.1:${port}/chat`,
      requests,
    );
    expectBodiesOwnTags(responses, requests);
    expectEachCallAttributed(await tracing.spans(), requests);
  });

  it('accepts an async resolver', async () => {
    const url = await start(async app => {
      await app.register(fastifyAttribution, {
        resolveTags: async request => {
          await pause(Math.floor(Math.random() * 3));
          const id = request.headers[USER_HEADER];
          return typeof id === 'string' ? { userId: id } : undefined;
        },
      });
    });
    const requests: SentRequest[] = [
      ...requestsFrom(15, 'async-'),
      { requestId: 'anonymous', userId: undefined },
    ];
    const responses = await sendConcurrently(url, requests, { method: 'POST' });
    expectBodiesOwnTags(responses, requests);
    expectEachCallAttributed(await tracing.spans(), requests);
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
      const url = await start(async app => {
        await app.register(fastifyAttribution, { resolveTags });
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

  it('property: any mix of users, anonymous requests, delays, hooks and methods stays apart', async () => {
    const request = fc.record({
      userId: fc.option(fc.constantFrom('ann', 'bob', 'cy', 'dee', 'eve'), {
        nil: undefined,
      }),
      delaysMs: fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<FastifyAttributionHook>(
          'onRequest',
          'preValidation',
          'preHandler',
        ),
        fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
        fc.boolean(),
        async (drawn, hook, method, asyncResolver) => {
          const url = await start(async app => {
            await app.register(fastifyAttribution, {
              hook,
              resolveTags: request => {
                const id = request.headers[USER_HEADER];
                const tags =
                  typeof id === 'string' ? { userId: id } : undefined;
                return asyncResolver ? pause(0).then(() => tags) : tags;
              },
            });
          });
          const requests = drawn.map((r, i) => ({ ...r, requestId: `p${i}` }));
          try {
            const responses = await sendConcurrently(url, requests, { method });
            expectBodiesOwnTags(responses, requests);
            expectEachCallAttributed(await tracing.spans(), requests);
          } finally {
            await Promise.all(apps.splice(0).map(app => app.close()));
            tracing.exporter.reset();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
