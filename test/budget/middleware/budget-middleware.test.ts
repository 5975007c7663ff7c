/**
 * budgetMiddleware on a real Express 5 server (and a plain Node server) on
 * 127.0.0.1, after attributionMiddleware, with the AsyncLocalStorage
 * context manager: a user over budget gets 429 with Retry-After at the
 * window's reset; the handler never runs for them; others pass.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, type DiagLogger } from '@opentelemetry/api';
import express, {
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budget/budget-exceeded-error.js';
import { budgetMiddleware } from '../../../src/budget/middleware/budget-middleware.js';
import { attributionMiddleware } from '../../../src/index.js';
import { setupTracing, type TestTracing } from '../../helpers/tracing.js';
import { FakeGuard, nextUtcMidnight } from './fake-guard.js';

let tracing: TestTracing;
let server: Server | undefined;
beforeEach(() => {
  tracing = setupTracing({ registerGlobally: true });
});
afterEach(async () => {
  if (server !== undefined) {
    server.closeAllConnections();
    await new Promise(resolve => server!.close(resolve));
  }
  server = undefined;
  diag.disable();
  await tracing.shutdown();
});

async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<string> {
  server = createServer(handler);
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function app(
  guard: FakeGuard,
  mount: (app: express.Express) => void,
): express.Express {
  const application = express();
  application.use(
    attributionMiddleware((req: Request) => ({
      userId: req.get('x-user-id'),
      tenantId: req.get('x-tenant-id'),
    })),
  );
  mount(application);
  let handled = 0;
  application.get('/chat', (_req, res) => {
    handled += 1;
    res.json({ handled });
  });
  return application;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/chat`, { headers });

describe('budgetMiddleware (Express 5)', () => {
  it('answers 429 with Retry-After (seconds to the window reset) and a JSON body to a user over budget; another user gets 200', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const url = await listen(app(guard, a => a.use(budgetMiddleware(guard))));

    const before = Date.now();
    const refused = await get(url, {
      'x-user-id': 'u-over',
      'x-tenant-id': 'acme',
    });
    const after = Date.now();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    // ceil of the seconds left until the next UTC midnight, measured around the request.
    expect(retryAfter).toBeLessThanOrEqual(
      Math.ceil((nextUtcMidnight(before).getTime() - before) / 1000),
    );
    expect(retryAfter).toBeGreaterThanOrEqual(
      Math.ceil((nextUtcMidnight(after).getTime() - after) / 1000),
    );
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toEqual({
      error: 'budget_exceeded',
      message: expect.stringMatching(
        /user budget \(\$1\.00 per day\).*resets at/,
      ),
      scopes: ['user'],
      resetAt: nextUtcMidnight(after).toISOString(),
      retryAfterSeconds: retryAfter,
    });
    // The message never names the subject.
    expect(JSON.stringify(body)).not.toContain('u-over');

    const allowed = await get(url, { 'x-user-id': 'u-ok' });
    expect(allowed.status).toBe(200);
    // The handler ran for the allowed request only.
    expect(await allowed.json()).toEqual({ handled: 1 });
    expect(guard.calls.map(c => c.subject)).toEqual([
      { userId: 'u-over', tenantId: 'acme' },
      { userId: 'u-ok' },
    ]);
  });

  it('does not check a request with no subject, and lets a request through when the check throws (one warning)', async () => {
    const warnings: string[] = [];
    diag.setLogger({
      warn: (m: string) => warnings.push(m),
      error: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    } satisfies DiagLogger);
    const guard = new FakeGuard(new Set(['u-over']));
    const url = await listen(app(guard, a => a.use(budgetMiddleware(guard))));
    expect((await get(url)).status).toBe(200);
    expect(guard.calls).toHaveLength(0);
    guard.throwing = true;
    expect((await get(url, { 'x-user-id': 'u-over' })).status).toBe(200);
    expect((await get(url, { 'x-user-id': 'u-over' })).status).toBe(200);
    expect(warnings.filter(w => w.includes('budget check threw'))).toHaveLength(
      1,
    );
  });

  it('takes its own subject resolver and a reservation per request', async () => {
    const guard = new FakeGuard(new Set(['key-7']));
    const url = await listen(
      app(guard, a =>
        a.use(
          budgetMiddleware<Request, Response>(guard, {
            subject: req => ({ userId: req.get('x-api-key') }),
            reserveUsd: req => (req.path === '/chat' ? 0.25 : undefined),
          }),
        ),
      ),
    );
    expect((await get(url, { 'x-api-key': 'key-7' })).status).toBe(429);
    expect((await get(url, { 'x-api-key': 'key-8' })).status).toBe(200);
    expect(guard.calls[1]).toEqual({
      subject: { userId: 'key-8' },
      options: { reserveUsd: 0.25 },
    });
  });

  it('onExceeded can hand the error to the app’s error handler (status 429 on the error)', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const url = await listen(
      app(guard, a => {
        a.use(
          budgetMiddleware(guard, {
            onExceeded: (error, _req, _res, next) => next(error),
          }),
        );
        a.use(
          (
            error: unknown,
            _req: Request,
            res: Response,
            _next: NextFunction,
          ) => {
            const e = error as BudgetExceededError;
            res
              .status(e.status)
              .set('retry-after', String(e.retryAfterSeconds))
              .send(`custom: ${e.name}`);
          },
        );
      }),
    );
    const refused = await get(url, { 'x-user-id': 'u-over' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe('custom: BudgetExceededError');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('budgetMiddleware (plain Node http)', () => {
  it('works on a bare ServerResponse', async () => {
    const guard = new FakeGuard(new Set(['u-over']));
    const check = budgetMiddleware(guard, {
      subject: (req: IncomingMessage) => ({
        userId: String(req.headers['x-user-id']),
      }),
    });
    const url = await listen((req, res) =>
      check(req, res, () => {
        res.end('ok');
      }),
    );
    const refused = await get(url, { 'x-user-id': 'u-over' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await (await get(url, { 'x-user-id': 'u-1' })).text()).toBe('ok');
  });
});

describe('BudgetExceededError', () => {
  const budget = {
    scope: 'tenant' as const,
    limitUsd: 500,
    window: 'month' as const,
  };
  const now = Date.UTC(2026, 10, 30, 23, 59, 58, 500);
  it('Retry-After waits for the latest reset of the exceeded budgets, at least 1 s; 60 s when none is named', () => {
    const monthEnd = new Date(Date.UTC(2026, 11, 1));
    const dayEnd = new Date(Date.UTC(2026, 11, 1, 0, 0, 0));
    const weekEnd = new Date(Date.UTC(2026, 11, 7));
    const error = new BudgetExceededError(
      {
        allowed: false,
        remainingUsd: 0,
        resetAt: dayEnd,
        exceeded: [
          {
            budget,
            id: 'acme',
            spentUsd: 512.3,
            limitUsd: 500,
            resetAt: monthEnd,
          },
          {
            budget: { scope: 'user', limitUsd: 20, window: 'week' },
            id: 'u',
            spentUsd: 21,
            limitUsd: 20,
            resetAt: weekEnd,
          },
        ],
      },
      now,
    );
    expect(error.retryAfterSeconds).toBe(
      Math.ceil((weekEnd.getTime() - now) / 1000),
    );
    expect(error.status).toBe(429);
    expect(error.message).toBe(
      'Budget exceeded: the tenant budget ($500.00 per month) is spent ($512.30) with 1 more; it resets at 2026-12-07T00:00:00.000Z (in 518402 s)',
    );
    const past = new BudgetExceededError(
      {
        allowed: false,
        remainingUsd: 0,
        resetAt: new Date(now - 5000),
        exceeded: [],
      },
      now,
    );
    expect(past.retryAfterSeconds).toBe(1);
    const none = new BudgetExceededError(
      {
        allowed: false,
        remainingUsd: undefined,
        resetAt: undefined,
        exceeded: [],
      },
      now,
    );
    expect(none.retryAfterSeconds).toBe(60);
    expect(none.message).toBe(
      'Budget exceeded: the budget check refused the call; retry in 60 s',
    );
    expect(none).toBeInstanceOf(Error);
  });
});
