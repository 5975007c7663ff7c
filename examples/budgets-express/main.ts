/**
 * An Express app that stops a user who runs over budget: every priced LLM
 * call is counted by a `BudgetGuard` (a sink of the `CostSpanProcessor`)
 * against the user's and tenant's budgets; `budgetMiddleware` answers 429
 * with `Retry-After` once a user's daily budget is spent, and the AI SDK
 * helper refuses the model call itself (for calls made outside a request).
 *
 * The model is the AI SDK's mock standing in for `openai('gpt-4o')` (each
 * call: 100,000 input and 10,000 output tokens, $0.35 at $2.50/M input and
 * $10/M output), so it runs without an API key:
 *
 *   npx tsx examples/budgets-express/main.ts          # memory store
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/budgets-express/main.ts
 *   curl -XPOST localhost:3000/chat -H 'x-user-id: u1' -H 'x-tenant-id: acme' \
 *        -H 'content-type: application/json' -d '{"prompt":"hi"}'
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { OpenTelemetry } from '@ai-sdk/otel';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { generateText, registerTelemetry, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import express, { type Request } from 'express';
import {
  attributionMiddleware,
  BudgetGuard,
  budgetLanguageModelMiddleware,
  budgetMiddleware,
  CostSpanProcessor,
  type BudgetAlert,
} from 'otel-genai-cost';

export interface BudgetsExampleOptions {
  /** `memory` (one process) or a Redis URL shared by replicas. @defaultValue REDIS_URL, else memory */
  readonly store?: string;
  /** Each user's daily budget in USD. @defaultValue 1 */
  readonly userLimitUsd?: number;
  /** Your model, e.g. `openai('gpt-4o')`. @defaultValue a mock gpt-4o */
  readonly model?: Parameters<typeof wrapLanguageModel>[0]['model'];
  /** Where alerts are written. @defaultValue console.log */
  readonly log?: (line: string) => void;
  readonly host?: string;
  /** 0 picks a free port. @defaultValue 3000 */
  readonly port?: number;
}

export interface RunningBudgetsApp {
  readonly url: string;
  readonly guard: BudgetGuard;
  /** Alerts fired so far (also logged). */
  readonly alerts: readonly BudgetAlert[];
  close(): Promise<void>;
}

/** Who a request is for. In your app: `req.user` from your auth middleware. */
const tagsOf = (req: Request) => ({
  userId: req.get('x-user-id'),
  tenantId: req.get('x-tenant-id'),
});

export async function run(
  options: BudgetsExampleOptions = {},
): Promise<RunningBudgetsApp> {
  const alerts: BudgetAlert[] = [];
  const guard = new BudgetGuard({
    store: options.store ?? process.env['REDIS_URL'] ?? 'memory',
    budgets: [
      { scope: 'user', limitUsd: options.userLimitUsd ?? 1, window: 'day' },
      { scope: 'tenant', limitUsd: 500, window: 'month' },
    ],
    alertAt: [0.5, 0.8, 1],
    onAlert: alert => {
      alerts.push(alert);
      // In your app: notify the team, e-mail the customer, ...
      (options.log ?? console.log)(
        `budget alert: ${alert.scope} ${alert.id} crossed ${alert.threshold * 100}% ($${alert.spentUsd.toFixed(2)} of $${alert.limitUsd})`,
      );
    },
  });
  await guard.ready(); // with Redis: fails now if ioredis is missing
  const provider = new NodeTracerProvider({
    spanProcessors: [new CostSpanProcessor({ sinks: [guard] })],
  });
  provider.register(); // AsyncLocalStorage context manager: tags survive awaits
  registerTelemetry(new OpenTelemetry());
  const model = wrapLanguageModel({
    model: options.model ?? mockGpt4o(),
    middleware: budgetLanguageModelMiddleware(guard),
  });

  const app = express();
  app.use(express.json());
  app.use(attributionMiddleware(tagsOf));
  // 429 + Retry-After before the handler runs, for a user over budget.
  app.use('/chat', budgetMiddleware(guard));
  app.post('/chat', async (req, res) => {
    const prompt =
      typeof req.body?.prompt === 'string' ? req.body.prompt : 'Hello';
    const result = await generateText({ model, prompt });
    res.json({ text: result.text });
  });
  app.get('/spent', async (req, res) => {
    const userId = req.get('x-user-id') ?? '';
    res.json({
      userId,
      spentUsd: await guard.spent({ scope: 'user', id: userId }),
    });
  });

  const server = createServer(app);
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = async () => {
    await new Promise<void>(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    await provider.shutdown(); // shuts the guard down too (a sink)
    trace.disable();
    context.disable();
    propagation.disable();
  };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    guard,
    alerts,
    close: () => (closed ??= close()),
  };
}

/** Stands in for `openai('gpt-4o')`: 100,000 input and 10,000 output tokens a call. */
function mockGpt4o(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-4o',
    doGenerate: () =>
      Promise.resolve({
        content: [{ type: 'text', text: 'Here is your answer.' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: {
            total: 100_000,
            noCache: 100_000,
            cacheRead: 0,
            cacheWrite: 0,
          },
          outputTokens: { total: 10_000, text: 10_000, reasoning: 0 },
        },
        warnings: [],
        response: {
          id: 'chatcmpl-example',
          modelId: 'gpt-4o',
          timestamp: new Date(),
        },
      }),
  });
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  void run().then(app => console.log(`listening on ${app.url}`));
}
