/**
 * `withAttributionHandler` in a real Next.js 16 App Router route handler
 * (`next-app/app/api/chat/route.ts`), served by Next itself: the
 * programmatic server (`next({ dev: true })` and `getRequestHandler()` on
 * an http server on 127.0.0.1), compiled by webpack on the first request.
 * The route imports `otel-genai-cost` from this repository's sources and
 * starts its LLM span on the global tracer provider, registered here with a
 * `CostSpanProcessor` and the AsyncLocalStorage context manager before Next
 * loads (an app does the same in `instrumentation.ts`'s `register()`).
 *
 * Dev mode rather than `next build`: about 12-18 s from start to the first
 * answer here, against about 50 s for a webpack production build.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import {
  RESOLVER_WARNING,
  USER_HEADER,
  captureWarnings,
  expectBodiesOwnTags,
  expectEachCallAttributed,
  requestsFrom,
  sendConcurrently,
  type SentRequest,
} from './framework-harness.js';

const APP_DIR = fileURLToPath(new URL('./next-app', import.meta.url));

interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): Parameters<typeof createServer>[1];
  close(): Promise<void>;
}

let tracing: TestTracing;
let app: NextApp;
let server: Server;
let url: string;

beforeAll(async () => {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  // Outside CI, Next installs missing TypeScript packages (@types/react)
  // with npm when it starts; in CI it fails with their names instead.
  process.env.CI = '1';
  tracing = setupTracing({ registerGlobally: true });
  // A specifier TypeScript does not resolve: importing Next's types would
  // load its global declarations (process.env.NODE_ENV becomes required),
  // which breaks the type check of every other test.
  const nextModule: string = 'next';
  const { default: next } = (await import(nextModule)) as {
    default: (options: Record<string, unknown>) => NextApp;
  };
  app = next({
    dev: true,
    webpack: true,
    dir: APP_DIR,
    hostname: '127.0.0.1',
    quiet: true,
  });
  await app.prepare();
  server = createServer(app.getRequestHandler());
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
  // The first request compiles the route.
  const warmUp = await fetch(url, { headers: { [USER_HEADER]: 'warm-up' } });
  expect(warmUp.status).toBe(200);
  await tracing.spans();
  tracing.exporter.reset();
}, 180_000);

afterAll(async () => {
  await new Promise(resolve => server?.close(resolve));
  await app?.close();
  await tracing?.shutdown();
});

async function spansOfThisTest() {
  const spans = await tracing.spans();
  tracing.exporter.reset();
  return spans;
}

describe('withAttributionHandler in a Next.js 16 App Router route handler', () => {
  it('keeps 20 concurrent GET and 20 concurrent POST requests of different users apart', async () => {
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
    expectEachCallAttributed(await spansOfThisTest(), [...gets, ...posts]);
  });

  it('accepts an async resolver', async () => {
    const requests = requestsFrom(20, 'async-');
    const responses = await Promise.all(
      requests.map(async request => {
        const response = await fetch(url, {
          headers: {
            [USER_HEADER]: request.userId as string,
            'x-request-id': request.requestId,
            'x-resolver': 'async',
          },
        });
        return { status: response.status, body: await response.json() };
      }),
    );
    expectBodiesOwnTags(responses, requests);
    expectEachCallAttributed(await spansOfThisTest(), requests);
  });

  it.each(['throw', 'reject'])(
    'serves the request unattributed, with one diag warning, when the resolver does %s',
    async mode => {
      const capture = captureWarnings();
      let response;
      try {
        response = await fetch(url, {
          headers: {
            [USER_HEADER]: 'u-1',
            'x-request-id': 'failing',
            'x-resolver': mode,
          },
        });
      } finally {
        capture.stop();
      }
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ tags: null });
      expect(capture.warnings).toEqual([RESOLVER_WARNING]);
      expectEachCallAttributed(await spansOfThisTest(), [
        { requestId: 'failing', userId: undefined },
      ]);
    },
  );
});
