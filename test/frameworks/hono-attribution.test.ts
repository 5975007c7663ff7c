/**
 * `honoAttribution` with a real Hono 4 app served by `@hono/node-server` on
 * 127.0.0.1 and the AsyncLocalStorage context manager: concurrent requests
 * from different users, each handler waiting and then making a priced LLM
 * call. Every LLM span must carry its own request's user.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Tracer } from '@opentelemetry/api';
import fc from 'fast-check';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { honoAttribution } from 'otel-genai-cost/hono';
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

type AppEnv = { Variables: { user: { id: string } | undefined } };

let tracing: TestTracing;
let tracer: Tracer;
const servers: ServerType[] = [];

beforeAll(() => {
  tracing = setupTracing({ registerGlobally: true });
  tracer = tracing.tracer('app');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
  tracing.exporter.reset();
});
afterAll(async () => {
  await tracing.shutdown();
});

function close(server: ServerType): Promise<void> {
  return new Promise(resolve => server.close(() => resolve()));
}

/** An auth middleware that knows the user only after a timer. */
const slowAuth = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.header(USER_HEADER);
  await pause(1);
  c.set('user', id === undefined ? undefined : { id });
  await next();
});

async function start(
  attribution: ReturnType<typeof honoAttribution<AppEnv>>,
): Promise<string> {
  const app = new Hono<AppEnv>();
  app.use('*', slowAuth);
  app.use('/api/*', attribution);
  const handler = async (c: {
    req: { header(name: string): string | undefined; json(): Promise<unknown> };
    json(body: unknown): Response;
  }) =>
    c.json(
      await routeWork(
        tracer,
        c.req.header('x-request-id'),
        delaysOf(c.req.header('x-delays')),
      ),
    );
  app.get('/api/chat', handler);
  app.post('/api/chat', async c => {
    await c.req.json(); // the body is read in the handler, after the middleware
    return handler(c);
  });
  const server = await new Promise<ServerType>(resolve => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s),
    );
  });
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/api/chat`;
}

const byUser = honoAttribution<AppEnv>(c => {
  const user = c.get('user');
  return user === undefined ? undefined : { userId: user.id };
});

describe('honoAttribution (Hono 4 on @hono/node-server)', () => {
  it('keeps 20 concurrent GET and 20 concurrent POST requests of different users apart', async () => {
    const url = await start(byUser);
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
    expectBodiesOwnTags(postResponses, posts);
    expectEachCallAttributed(await tracing.spans(), [...gets, ...posts]);
  });

  it('accepts an async resolver reading a header', async () => {
    const url = await start(
      honoAttribution<AppEnv>(async c => {
        await pause(Math.floor(Math.random() * 3));
        const id = c.req.header(USER_HEADER);
        return id === undefined ? undefined : { userId: id };
      }),
    );
    const requests = requestsFrom(20, 'async-');
    const responses = await sendConcurrently(url, requests);
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
      const url = await start(honoAttribution<AppEnv>(resolveTags));
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

  it('property: any mix of users, anonymous requests and delays stays apart', async () => {
    const url = await start(byUser);
    const request = fc.record({
      userId: fc.option(fc.constantFrom('ann', 'bob', 'cy', 'dee', 'eve'), {
        nil: undefined,
      }),
      delaysMs: fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: 1, maxLength: 15 }),
        fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
        async (drawn, method) => {
          const requests = drawn.map((r, i) => ({ ...r, requestId: `p${i}` }));
          try {
            const responses = await sendConcurrently(url, requests, { method });
            expectBodiesOwnTags(responses, requests);
            expectEachCallAttributed(await tracing.spans(), requests);
          } finally {
            tracing.exporter.reset();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
