/**
 * Real SDK spans of the three kinds the gateway must handle, made with a
 * `BasicTracerProvider`: a GenAI-conventions chat span with usage, an AI
 * SDK-style `ai.generateText` wrapper around its `doGenerate` call, and
 * plain non-LLM spans with every attribute type, events, links and status.
 * Expected costs come from the published prices in test/helpers/prices.ts.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type {
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { expectedCost, GPT_4O_MINI } from '../../helpers/prices.js';

/** gpt-4o-mini: 1000 input (400 cached), 200 output. */
export const CHAT_COST = expectedCost(GPT_4O_MINI, {
  uncachedInput: 600,
  cacheRead: 400,
  output: 200,
});
/** gpt-4o-mini: 500 input, 100 output. */
export const DO_GENERATE_COST = expectedCost(GPT_4O_MINI, {
  uncachedInput: 500,
  output: 100,
});

export interface ScenarioProvider {
  readonly provider: BasicTracerProvider;
  /** Every span the provider ended: the source of truth. */
  readonly memory: InMemorySpanExporter;
  readonly tracer: Tracer;
}

/** A provider exporting to `exporter` (and to memory, for comparison). */
export function scenarioProvider(
  exporter: SpanExporter,
  extra: SpanProcessor[] = [],
): ScenarioProvider {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'gateway-test',
      'deployment.environment.name': 'test',
    }),
    spanProcessors: [
      new SimpleSpanProcessor(memory),
      new SimpleSpanProcessor(exporter),
      ...extra,
    ],
  });
  return {
    provider,
    memory,
    tracer: provider.getTracer('gateway-test', '1.0.0'),
  };
}

const child = (
  tracer: Tracer,
  parent: Span,
  name: string,
  kind = SpanKind.INTERNAL,
): Span =>
  tracer.startSpan(name, { kind }, trace.setSpan(ROOT_CONTEXT, parent));

/**
 * One request of an app: a server span, a GenAI chat call, an AI SDK
 * generateText (wrapper + doGenerate) and a database query. Children end
 * before their parents, as in a real app.
 */
export function emitScenario(
  tracers: { app: Tracer; genai: Tracer; ai: Tracer },
  n = 0,
): void {
  const server = tracers.app.startSpan(
    `POST /chat/${n}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 200,
        'test.ratio': 0.25,
        'test.flag': true,
        'test.tags': ['a', 'b'],
        'test.codes': [1, 2, 3],
        'test.big': 9_007_199_254_740_991,
      },
      links: [
        {
          context: {
            traceId: '0af7651916cd43dd8448eb211c80319c',
            spanId: 'b7ad6b7169203331',
            traceFlags: 1,
            isRemote: true,
          },
          attributes: { 'link.reason': 'batch' },
        },
      ],
    },
    ROOT_CONTEXT,
  );
  server.addEvent('checkpoint', {
    'checkpoint.step': 2,
    'checkpoint.name': 'start',
  });

  const chat = child(
    tracers.genai,
    server,
    'chat gpt-4o-mini',
    SpanKind.CLIENT,
  );
  chat.setAttributes({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.id': `chatcmpl-${n}`,
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.cache_read.input_tokens': 400,
    'gen_ai.usage.output_tokens': 200,
  });
  chat.end();

  const generate = child(tracers.ai, server, 'ai.generateText');
  generate.setAttributes({
    'ai.operationId': 'ai.generateText',
    'ai.model.id': 'gpt-4o-mini',
    'ai.model.provider': 'openai.chat',
    'ai.usage.promptTokens': 500,
    'ai.usage.completionTokens': 100,
  });
  const doGenerate = child(
    tracers.ai,
    generate,
    'ai.generateText.doGenerate',
    SpanKind.CLIENT,
  );
  doGenerate.setAttributes({
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.model.id': 'gpt-4o-mini',
    'ai.model.provider': 'openai.chat',
    'ai.response.id': `resp-${n}`,
    'ai.response.model': 'gpt-4o-mini-2024-07-18',
    'ai.usage.promptTokens': 500,
    'ai.usage.completionTokens': 100,
  });
  doGenerate.end();
  generate.end();

  const query = child(tracers.app, server, 'SELECT users', SpanKind.CLIENT);
  query.setAttribute('db.system.name', 'postgresql');
  query.end();

  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  server.end();
}

/** Tracers with the scopes real emitters use. */
export function scenarioTracers(provider: BasicTracerProvider): {
  app: Tracer;
  genai: Tracer;
  ai: Tracer;
} {
  return {
    app: provider.getTracer('gateway-test', '1.0.0'),
    genai: provider.getTracer(
      '@opentelemetry/instrumentation-openai',
      '0.21.0',
    ),
    ai: provider.getTracer('ai'),
  };
}
