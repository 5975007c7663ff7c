/**
 * An Express app that attributes LLM spend at the request boundary:
 * `attributionMiddleware` resolves who the request is for (here from
 * headers standing in for your auth middleware's `req.user`) and runs the
 * rest of the request inside `withAttribution`, so the OpenAI call made deep
 * in a handler is billed to that user and tenant. Cost counters are served
 * on the app's own `/metrics`, with a bounded `tenant` label.
 *
 *   OPENAI_API_KEY=... npx tsx examples/express-attribution/main.ts
 *   curl -XPOST localhost:3000/summarize -H 'x-user-id: u1' -H 'x-tenant-id: acme' \
 *        -H 'content-type: application/json' -d '{"text":"..."}'
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { context, propagation, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import express, { type Request } from 'express';
import type OpenAI from 'openai';
import {
  attributionMiddleware,
  CostMetrics,
  CostSpanProcessor,
} from 'otel-genai-cost';
import { createPrometheusHandler } from 'otel-genai-cost/prometheus';

export interface ExpressExampleOptions {
  readonly openaiBaseURL?: string;
  readonly apiKey?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly exporter?: SpanExporter;
}

export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Who a request is for. In your app: `req.user` from your auth middleware. */
function tagsOf(req: Request) {
  return {
    userId: req.get('x-user-id'),
    tenantId: req.get('x-tenant-id'),
    plan: req.get('x-plan'),
  };
}

export async function run(
  options: ExpressExampleOptions = {},
): Promise<RunningApp> {
  const metrics = createPrometheusHandler();
  const costMetrics = new CostMetrics({
    meterProvider: metrics.meterProvider,
    tenants: ['acme', 'globex'], // named on /metrics; other tenants are `other`
    plans: ['free', 'pro', 'enterprise'],
  });
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor({ sinks: [costMetrics] }),
      new BatchSpanProcessor(options.exporter ?? new ConsoleSpanExporter()),
    ],
  });
  provider.register(); // AsyncLocalStorage context manager: tags survive awaits
  const unregister = registerInstrumentations({
    instrumentations: [new OpenAIInstrumentation()],
    tracerProvider: provider,
  });
  // CommonJS load, so the instrumentation's require hook patches it.
  const { OpenAI: Client } = createRequire(import.meta.url)('openai') as {
    OpenAI: typeof OpenAI;
  };
  const openai = new Client({
    apiKey: options.apiKey ?? process.env['OPENAI_API_KEY'] ?? 'missing-key',
    ...(options.openaiBaseURL === undefined
      ? {}
      : { baseURL: options.openaiBaseURL }),
  });

  const app = express();
  app.get('/metrics', metrics);
  app.use(express.json());
  app.use(attributionMiddleware(tagsOf));
  app.post('/summarize', async (req, res) => {
    const text = typeof req.body?.text === 'string' ? req.body.text : '';
    if (text === '') {
      res.status(400).json({ error: 'body must be {"text": "..."}' });
      return;
    }
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: `Summarize in one sentence: ${text}` },
      ],
    });
    res.json({ summary: completion.choices[0]?.message.content ?? '' });
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
    unregister();
    await provider.shutdown(); // flushes the batch span processor
    await metrics.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => (closed ??= close()),
  };
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  void run().then(app => console.log(`listening on ${app.url}`));
}
