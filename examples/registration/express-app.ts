/**
 * Express: attribute every request's LLM calls to the signed-in user.
 * Mount `attributionMiddleware` after your auth middleware.
 *
 * Runs in this repo, against a local OTLP receiver:
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
import express from 'express';
import type { Request } from 'express';
import { attributionMiddleware } from 'otel-genai-cost';

type AuthedRequest = Request & {
  user?: { id: string; orgId: string; plan: string };
};

export function createApp(
  answer: (question: string) => Promise<string>,
): express.Express {
  const app = express();
  app.use(express.json());
  // ...your auth middleware sets req.user here...
  app.use(
    attributionMiddleware<AuthedRequest>(req =>
      req.user === undefined
        ? { sessionId: req.header('x-session-id') } // anonymous: session only
        : {
            userId: req.user.id,
            tenantId: req.user.orgId,
            plan: req.user.plan,
          },
    ),
  );
  app.post('/ask', async (req, res) => {
    res.json({ answer: await answer(String(req.body?.question ?? '')) });
  });
  return app;
}
