/**
 * attributionMiddleware with a real Express 5 server on 127.0.0.1 and the
 * AsyncLocalStorage context manager, and withAttributionHandler with Web
 * `Request` objects (the Next.js route-handler shape).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type {
  NextFunction,
  Request as ExpressRequest,
  Response as ExpressResponse,
} from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attributionMiddleware,
  getAttribution,
  withAttributionHandler,
} from '../../src/index.js';
import { chatSpan } from '../helpers/chat-span.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

type AuthedRequest = ExpressRequest & { user?: { id: string; org: string } };

function listen(
  app: express.Express,
): Promise<{ server: Server; url: string }> {
  return new Promise(resolve => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) =>
    server.close(error => (error ? reject(error) : resolve())),
  );
}

describe('attributionMiddleware (Express 5)', () => {
  let tracing: TestTracing;
  let server: Server | undefined;
  beforeEach(() => {
    tracing = setupTracing({ registerGlobally: true });
  });
  afterEach(async () => {
    if (server !== undefined) await close(server);
    server = undefined;
    await tracing.shutdown();
  });

  async function start(
    resolver: Parameters<typeof attributionMiddleware<AuthedRequest>>[0],
  ): Promise<string> {
    const app = express();
    // An async auth middleware that knows the user only after an await.
    app.use((req: AuthedRequest, _res: ExpressResponse, next: NextFunction) => {
      const id = req.header('x-user');
      setTimeout(() => {
        if (id !== undefined) req.user = { id, org: `org-of-${id}` };
        next();
      }, 1);
    });
    app.use(attributionMiddleware<AuthedRequest>(resolver));
    app.get('/chat', async (_req, res) => {
      await new Promise(resolve => setTimeout(resolve, Math.random() * 3));
      chatSpan(tracing.tracer());
      await new Promise(resolve => setImmediate(resolve));
      res.json(getAttribution() ?? null);
    });
    const started = await listen(app);
    server = started.server;
    return started.url;
  }

  it('attributes each concurrent request to its own user', async () => {
    const url = await start(req =>
      req.user ? { userId: req.user.id, tenantId: req.user.org } : undefined,
    );
    const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
    const bodies = await Promise.all(
      users.map(user =>
        fetch(`${url}/chat`, { headers: { 'x-user': user } }).then(
          r => r.json() as Promise<unknown>,
        ),
      ),
    );
    expect(bodies).toEqual(
      users.map(user => ({ userId: user, tenantId: `org-of-${user}` })),
    );
    const spans = (await tracing.spans()).filter(s =>
      s.name.startsWith('chat'),
    );
    expect(spans).toHaveLength(users.length);
    expect(new Set(spans.map(s => s.attributes['user.id']))).toEqual(
      new Set(users),
    );
    for (const span of spans) {
      expect(span.attributes['tenant.id']).toBe(
        `org-of-${span.attributes['user.id'] as string}`,
      );
    }
  });

  it('accepts an async resolver, and continues unattributed when there are no tags or it throws', async () => {
    const url = await start(async req => {
      await new Promise(resolve => setTimeout(resolve, 1));
      if (req.user?.id === 'boom') throw new Error('session store down');
      return req.user ? { userId: req.user.id } : undefined;
    });
    const ok = await fetch(`${url}/chat`, {
      headers: { 'x-user': 'async-user' },
    });
    const anonymous = await fetch(`${url}/chat`);
    const failing = await fetch(`${url}/chat`, {
      headers: { 'x-user': 'boom' },
    });
    expect([ok.status, anonymous.status, failing.status]).toEqual([
      200, 200, 200,
    ]);
    expect(await ok.json()).toEqual({ userId: 'async-user' });
    const spans = (await tracing.spans()).filter(s =>
      s.name.startsWith('chat'),
    );
    expect(
      spans.map(s => s.attributes['gen_ai.cost.attribution.source']),
    ).toEqual(['context', 'none', 'none']);
  });

  it('never fails a request when the resolver throws synchronously', async () => {
    const url = await start(() => {
      throw new Error('bad resolver');
    });
    const response = await fetch(`${url}/chat`, { headers: { 'x-user': 'x' } });
    expect(response.status).toBe(200);
  });
});

describe('withAttributionHandler (Web Request handlers)', () => {
  let tracing: TestTracing;
  beforeEach(() => {
    tracing = setupTracing();
  });
  afterEach(async () => {
    await tracing.shutdown();
  });

  it('runs the handler in the resolved attribution and forwards extra arguments', async () => {
    const POST = withAttributionHandler(
      async (req: Request) => {
        await new Promise(resolve => setTimeout(resolve, 1));
        return {
          userId: req.headers.get('x-user') ?? undefined,
          feature: 'route',
        };
      },
      async (req: Request, ctx: { params: { id: string } }) => {
        await new Promise(resolve => setImmediate(resolve));
        chatSpan(tracing.tracer());
        return Response.json({
          tags: getAttribution(),
          id: ctx.params.id,
          body: await req.text(),
        });
      },
    );
    const responses = await Promise.all(
      ['a', 'b', 'c'].map(user =>
        POST(
          new Request('http://localhost/api', {
            method: 'POST',
            body: user,
            headers: { 'x-user': user },
          }),
          {
            params: { id: `id-${user}` },
          },
        ),
      ),
    );
    const bodies = await Promise.all(
      responses.map(r => r.json() as Promise<unknown>),
    );
    expect(bodies).toEqual(
      ['a', 'b', 'c'].map(user => ({
        tags: { userId: user, feature: 'route' },
        id: `id-${user}`,
        body: user,
      })),
    );
    const users = (await tracing.spans())
      .map(s => s.attributes['user.id'])
      .sort();
    expect(users).toEqual(['a', 'b', 'c']);
  });

  it('runs the handler unattributed when the resolver fails', async () => {
    const GET = withAttributionHandler(
      () => Promise.reject(new Error('no session')),
      () => new Response(JSON.stringify(getAttribution() ?? null)),
    );
    const response = await GET(new Request('http://localhost/'));
    expect(await response.text()).toBe('null');
  });
});
