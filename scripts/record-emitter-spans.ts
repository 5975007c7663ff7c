/**
 * Re-records the Anthropic emitter fixtures under
 * `test/fixtures/emitters/anthropic/`: the real `@anthropic-ai/sdk` (which
 * emits its own spans once a tracer provider is registered), alone and with
 * `@arizeai/openinference-instrumentation-anthropic`, calling the fake
 * Anthropic server on 127.0.0.1. Every span keeps its real ids, parent,
 * times and END ORDER (the in-memory exporter's order), plus the attributes
 * it had at start. `calls` holds what the fake server answered (the truth to
 * price).
 *
 *   npx tsx scripts/record-emitter-spans.ts            # every setup
 *   npx tsx scripts/record-emitter-spans.ts sdk-alone  # one setup
 *
 * Each setup runs in a child process of its own: the instrumentations patch
 * the SDK's prototypes for the whole process.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { context, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  anthropicUsageJson,
  startFakeAnthropicServer,
  type FakeAnthropicUsage,
} from '../test/helpers/fake-anthropic-server.js';

const OUT = new URL('../test/fixtures/emitters/anthropic/', import.meta.url);
const MODEL = 'claude-sonnet-4-5';

interface Setup {
  readonly description: string;
  /** Register the provider globally (the SDK's own spans then appear). */
  readonly registerGlobally: boolean;
  readonly openInference: boolean;
  /** Wrap the calls in an application span `handle-request`. */
  readonly appSpan: boolean;
}

const SETUPS: Readonly<Record<string, Setup>> = {
  'sdk-alone': {
    description:
      '@anthropic-ai/sdk alone, tracer provider registered globally: the SDK emits its own spans. Three calls as roots: messages.create (JSON), messages.create({stream: true}), messages.stream().',
    registerGlobally: true,
    openInference: false,
    appSpan: false,
  },
  'openinference-alone': {
    description:
      'OpenInference Anthropic with its own tracer provider (setTracerProvider), NOT registered globally: the SDK finds no provider and emits nothing. Same three calls as roots.',
    registerGlobally: false,
    openInference: true,
    appSpan: false,
  },
  'sdk-and-openinference': {
    description:
      'OpenInference Anthropic AND the SDK, tracer provider registered globally (the usual setup: NodeSDK or provider.register() plus registerInstrumentations): every call is recorded twice. Same three calls as roots.',
    registerGlobally: true,
    openInference: true,
    appSpan: false,
  },
  'sdk-and-openinference-in-app-span': {
    description:
      'As sdk-and-openinference, with the three calls inside an application span `handle-request` (scope `weather-app`).',
    registerGlobally: true,
    openInference: true,
    appSpan: true,
  },
};

/** One distinct usage per call, so the calls can be told apart. */
const USAGES: readonly FakeAnthropicUsage[] = [
  {
    inputTokens: 1200,
    outputTokens: 350,
    cacheReadTokens: 4000,
    cacheWrite5mTokens: 2000,
  },
  {
    inputTokens: 900,
    outputTokens: 420,
    cacheReadTokens: 6000,
    cacheWrite5mTokens: 0,
  },
  {
    inputTokens: 1500,
    outputTokens: 275,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 3000,
  },
];

const CALL_KINDS = [
  'messages.create',
  'messages.create stream:true',
  'messages.stream()',
];

/** The installed version, from `node_modules/<name>/package.json`. */
function versionOf(name: string): string {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string })
    .version;
}

function nanos([seconds, nanoseconds]: readonly [number, number]): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds)).toString();
}

/** Snapshots each span's attributes at start (the exporter sees the final ones). */
class StartAttributes implements SpanProcessor {
  readonly atStart = new Map<string, Record<string, unknown>>();
  onStart(span: Span & ReadableSpan): void {
    this.atStart.set(span.spanContext().spanId, { ...span.attributes });
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function record(name: string, setup: Setup): Promise<void> {
  const exporter = new InMemorySpanExporter();
  const starts = new StartAttributes();
  const provider = new NodeTracerProvider({
    spanProcessors: [starts, new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  if (setup.registerGlobally) provider.register({ contextManager });
  else context.setGlobalContextManager(contextManager.enable());

  const sdk = await import('@anthropic-ai/sdk');
  if (setup.openInference) {
    const { AnthropicInstrumentation } =
      await import('@arizeai/openinference-instrumentation-anthropic');
    const instrumentation = new AnthropicInstrumentation();
    instrumentation.setTracerProvider(provider);
    // The ESM class: its `Messages.prototype.create` is wrapped.
    instrumentation.manuallyInstrument(sdk.default);
  }
  const server = await startFakeAnthropicServer();
  const client = new sdk.default({
    apiKey: 'test-key',
    baseURL: server.baseURL,
    maxRetries: 0,
  });
  const params = {
    model: MODEL,
    max_tokens: 1024,
    messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
  };
  const calls: Record<string, unknown>[] = [];
  const run = async (): Promise<void> => {
    for (const [index, usage] of USAGES.entries()) {
      server.configure({ usage });
      if (index === 0) {
        await client.messages.create(params);
      } else if (index === 1) {
        const stream = await client.messages.create({
          ...params,
          stream: true,
        });
        for await (const _event of stream) {
          // drain
        }
      } else {
        await client.messages.stream(params).finalMessage();
      }
      const request = server.requests.at(-1);
      calls.push({
        call: CALL_KINDS[index],
        responseId: request?.messageId,
        model: MODEL,
        usage: anthropicUsageJson(usage),
      });
    }
  };
  if (setup.appSpan) {
    await provider
      .getTracer('weather-app')
      .startActiveSpan('handle-request', async span => {
        try {
          await run();
        } finally {
          span.end();
        }
      });
  } else {
    await run();
  }
  await provider.forceFlush();
  // Streams end their spans when the stream is read to the end; give the
  // instrumentation's own tee'd reader a moment to finish.
  await new Promise(resolve => setTimeout(resolve, 200));
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map((span, endOrder) => {
    const parent = span.parentSpanContext?.spanId;
    return {
      name: span.name,
      scope: {
        name: span.instrumentationScope.name,
        ...(span.instrumentationScope.version === undefined
          ? {}
          : { version: span.instrumentationScope.version }),
      },
      kind: span.kind,
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      ...(parent === undefined ? {} : { parentSpanId: parent }),
      startTimeUnixNano: nanos(span.startTime),
      endTimeUnixNano: nanos(span.endTime),
      endOrder,
      status: span.status,
      attributes: { ...span.attributes },
      attributesAtStart: starts.atStart.get(span.spanContext().spanId) ?? {},
    };
  });
  const recording = {
    setup: name,
    description: setup.description,
    recordedAt: new Date().toISOString(),
    node: process.version,
    packages: {
      '@anthropic-ai/sdk': versionOf('@anthropic-ai/sdk'),
      ...(setup.openInference
        ? {
            '@arizeai/openinference-instrumentation-anthropic': versionOf(
              '@arizeai/openinference-instrumentation-anthropic',
            ),
          }
        : {}),
      '@opentelemetry/sdk-trace-base': versionOf(
        '@opentelemetry/sdk-trace-base',
      ),
    },
    calls,
    spans,
  };
  writeFileSync(
    new URL(`${name}.json`, OUT),
    `${JSON.stringify(recording, null, 2)}\n`,
  );
  await server.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
}

/** Traceloop's Anthropic instrumentation against SDK 1.x: the load error, verbatim. */
async function recordTraceloop(): Promise<void> {
  const { AnthropicInstrumentation } =
    await import('@traceloop/instrumentation-anthropic');
  const sdk = await import('@anthropic-ai/sdk');
  // 1. `manuallyInstrument`, the documented way for ESM apps (typed for the
  //    SDK 0.x module; SDK 1.x is what is being tried).
  const manual = attempt(() => {
    const instrumentation = new AnthropicInstrumentation();
    instrumentation.setTracerProvider(new NodeTracerProvider());
    instrumentation.manuallyInstrument(
      sdk as unknown as Parameters<
        typeof instrumentation.manuallyInstrument
      >[0],
    );
  });
  // 2. `registerInstrumentations`, then the app's own `require` of the SDK
  //    (CommonJS apps): the require-in-the-middle hook patches at load.
  const requireHook = attempt(() => {
    registerInstrumentations({
      instrumentations: [new AnthropicInstrumentation()],
    });
    createRequire(import.meta.url)('@anthropic-ai/sdk');
  });
  const outcome = { manuallyInstrument: manual, requireHook };
  writeFileSync(
    new URL('traceloop-load.json', OUT),
    `${JSON.stringify(
      {
        setup: 'traceloop-load',
        description:
          '@traceloop/instrumentation-anthropic against @anthropic-ai/sdk 1.x: what happens at load, through manuallyInstrument() (ESM apps) and through registerInstrumentations() then require() of the SDK (CommonJS apps). No spans.',
        recordedAt: new Date().toISOString(),
        packages: {
          '@anthropic-ai/sdk': versionOf('@anthropic-ai/sdk'),
          '@traceloop/instrumentation-anthropic': versionOf(
            '@traceloop/instrumentation-anthropic',
          ),
        },
        outcome,
        spans: [],
      },
      null,
      2,
    )}\n`,
  );
}

/** Whether `step` ran, or the error it threw, verbatim. */
function attempt(step: () => void): Record<string, unknown> {
  try {
    step();
    return { loaded: true };
  } catch (error) {
    return {
      loaded: false,
      error:
        error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error),
      stack:
        error instanceof Error
          ? error.stack?.split('\n').slice(0, 4)
          : undefined,
    };
  }
}

const requested = process.argv.slice(2);
if (requested.length === 0) {
  const self = fileURLToPath(import.meta.url);
  for (const name of [...Object.keys(SETUPS), 'traceloop-load']) {
    execFileSync(process.execPath, ['--import', 'tsx', self, name], {
      stdio: 'inherit',
    });
  }
} else {
  for (const name of requested) {
    if (name === 'traceloop-load') await recordTraceloop();
    else {
      const setup = SETUPS[name];
      if (setup === undefined) throw new Error(`unknown setup ${name}`);
      await record(name, setup);
    }
  }
}
