/**
 * Records the spans LangChain.js instrumentations write, alone and stacked
 * over an OpenAI client instrumentation, calling a fake OpenAI server on
 * 127.0.0.1 (usage with cached and reasoning tokens, unique response ids).
 *
 * Usage: `npx tsx scripts/record-langchain-spans.ts <setup>` with setup one of
 * `openinference`, `openinference+otel-openai`, `traceloop`,
 * `traceloop+traceloop-openai`, or `all` (each setup in its own process,
 * since the instrumentations patch classes for the whole process); a second
 * argument `concurrent` records 3 identical concurrent `invoke`s instead
 * (`all` does so for the stacked setups).
 * Writes `test/fixtures/emitters/langchain/<setup>[-concurrent].json`.
 *
 * Per setup, 4 model calls: `invoke`, `stream`, and a chain
 * `prompt | model | parser | prompt | model` (2 calls).
 *
 * Wiring (ESM, no loader hook): OpenInference's LangChain instrumentation
 * documents `manuallyInstrument(CallbackManagerModule)`; Traceloop's patches
 * the CJS and (asynchronously) the ESM `CallbackManager` in its constructor,
 * and also offers `manuallyInstrument({ callbackManagerModule })`.
 * `@langchain/openai` 1.5.0 depends on its own `openai` (6.49.0, nested), so
 * the client instrumentation must patch THAT copy's ESM build.
 */
import { execFileSync } from 'node:child_process';
import { metrics } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LangChainInstrumentation as OpenInferenceLangChain } from '@arizeai/openinference-instrumentation-langchain';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda } from '@langchain/core/runnables';
import { ChatOpenAI } from '@langchain/openai';
import { OpenAIInstrumentation as ContribOpenAI } from '@opentelemetry/instrumentation-openai';
import { LangChainInstrumentation as TraceloopLangChain } from '@traceloop/instrumentation-langchain';
import { OpenAIInstrumentation as TraceloopOpenAI } from '@traceloop/instrumentation-openai';
import { startFakeOpenAIServer } from '../test/helpers/fake-openai-server.js';
import type { FakeChatUsage } from '../test/helpers/fake-openai-server.js';
import {
  startRecorder,
  versionOf,
  writeRecording,
} from './record-spans-common.js';
import type { RecordedCall } from './record-spans-common.js';

const SETUPS = [
  'openinference',
  'openinference+otel-openai',
  'traceloop',
  'traceloop+traceloop-openai',
] as const;
type Setup = (typeof SETUPS)[number];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/emitters/langchain');
const MODEL = 'gpt-4o-mini';
/** Different usage per call, so a mismatched pairing shows. */
const USAGES: readonly FakeChatUsage[] = [
  {
    promptTokens: 1000,
    completionTokens: 300,
    cachedTokens: 600,
    reasoningTokens: 100,
  },
  {
    promptTokens: 1200,
    completionTokens: 250,
    cachedTokens: 1024,
    reasoningTokens: 64,
  },
  {
    promptTokens: 800,
    completionTokens: 120,
    cachedTokens: 0,
    reasoningTokens: 0,
  },
  {
    promptTokens: 2048,
    completionTokens: 512,
    cachedTokens: 1536,
    reasoningTokens: 256,
  },
];

async function nestedOpenAI(): Promise<Record<string, unknown>> {
  const require = createRequire(import.meta.url);
  const langchainOpenAI = dirname(
    require.resolve('@langchain/openai/package.json'),
  );
  const url = pathToFileURL(
    join(langchainOpenAI, 'node_modules/openai/index.mjs'),
  );
  return (await import(url.href)) as Record<string, unknown>;
}

async function instrument(setup: Setup): Promise<Record<string, string>> {
  const nm = join(ROOT, 'node_modules');
  const packages: Record<string, string> = {
    '@langchain/core': versionOf(join(nm, '@langchain/core')),
    '@langchain/openai': versionOf(join(nm, '@langchain/openai')),
    openai: versionOf(join(nm, '@langchain/openai/node_modules/openai')),
  };
  if (setup.startsWith('openinference')) {
    const lc = new OpenInferenceLangChain();
    lc.manuallyInstrument(CallbackManagerModule);
    packages['@arizeai/openinference-instrumentation-langchain'] = versionOf(
      join(nm, '@arizeai/openinference-instrumentation-langchain'),
    );
  } else {
    const lc = new TraceloopLangChain();
    lc.manuallyInstrument({ callbackManagerModule: CallbackManagerModule });
    packages['@traceloop/instrumentation-langchain'] = versionOf(
      join(nm, '@traceloop/instrumentation-langchain'),
    );
  }
  if (setup === 'openinference+otel-openai') {
    const client = new ContribOpenAI();
    client.setMeterProvider(metrics.getMeterProvider());
    for (const definition of client.getModuleDefinitions()) {
      definition.patch?.(await nestedOpenAI(), packages.openai);
    }
    packages['@opentelemetry/instrumentation-openai'] = versionOf(
      join(nm, '@opentelemetry/instrumentation-openai'),
    );
  }
  if (setup === 'traceloop+traceloop-openai') {
    const client = new TraceloopOpenAI();
    const module = await nestedOpenAI();
    client.manuallyInstrument(module['OpenAI'] as never);
    packages['@traceloop/instrumentation-openai'] = versionOf(
      join(nm, '@traceloop/instrumentation-openai'),
    );
  }
  return packages;
}

async function record(setup: Setup, concurrent: boolean): Promise<void> {
  const recorder = startRecorder();
  const packages = await instrument(setup);
  // Traceloop also patches the ESM module from a dynamic import in its constructor.
  await new Promise(resolve => setTimeout(resolve, 50));
  const server = await startFakeOpenAIServer();
  const calls: RecordedCall[] = [];
  const expectCall = (index: number): void => {
    const usage = USAGES[index] as FakeChatUsage;
    server.configure({ chatUsage: usage });
    calls.push({
      responseId: `chatcmpl-fake${index + 1}`,
      model: MODEL,
      usage: { ...usage },
    });
  };
  const model = new ChatOpenAI({
    model: MODEL,
    apiKey: 'test-key',
    maxRetries: 0,
    configuration: { baseURL: server.baseURL },
  });

  if (concurrent) {
    await recordConcurrent(setup, packages, recorder, server, model);
    return;
  }

  expectCall(0);
  await model.invoke('Weather in Paris?');

  expectCall(1);
  const stream = await model.stream('Weather in Rome?');
  for await (const chunk of stream) void chunk;

  const first = ChatPromptTemplate.fromTemplate('Name a city in {country}.');
  const second = ChatPromptTemplate.fromTemplate('Weather in {city}?');
  let nextCall = 2;
  const configureNext = RunnableLambda.from((input: unknown) => {
    expectCall(nextCall);
    nextCall += 1;
    return input;
  });
  const chain = first
    .pipe(configureNext)
    .pipe(model)
    .pipe(new StringOutputParser())
    .pipe(RunnableLambda.from((city: string) => ({ city })))
    .pipe(second)
    .pipe(configureNext)
    .pipe(model)
    .pipe(new StringOutputParser());
  await chain.invoke({ country: 'France' });

  await server.close();
  const spans = await recorder.finish();
  writeRecording(join(OUT, `${setup}.json`), {
    setup,
    description:
      'ChatOpenAI: invoke, stream, and a prompt|model|parser|prompt|model chain (4 model calls), fake OpenAI server on 127.0.0.1',
    packages,
    calls,
    spans,
  });
  process.stdout.write(`${setup}: ${spans.length} spans\n`);
}

/**
 * `CONCURRENT_CALLS` identical `invoke`s at once (same model, same usage):
 * exactly once must still price each of them.
 */
async function recordConcurrent(
  setup: Setup,
  packages: Record<string, string>,
  recorder: ReturnType<typeof startRecorder>,
  server: Awaited<ReturnType<typeof startFakeOpenAIServer>>,
  model: ChatOpenAI,
): Promise<void> {
  const usage = USAGES[0] as FakeChatUsage;
  server.configure({ chatUsage: usage });
  await Promise.all(
    Array.from({ length: CONCURRENT_CALLS }, () =>
      model.invoke('Weather in Paris?'),
    ),
  );
  await server.close();
  const spans = await recorder.finish();
  writeRecording(join(OUT, `${setup}-concurrent.json`), {
    setup: `${setup}-concurrent`,
    description: `ChatOpenAI: ${CONCURRENT_CALLS} identical invoke calls at once (same model and usage), fake OpenAI server on 127.0.0.1`,
    packages,
    calls: Array.from({ length: CONCURRENT_CALLS }, (_, index) => ({
      responseId: `chatcmpl-fake${index + 1}`,
      model: MODEL,
      usage: { ...usage },
    })),
    spans,
  });
  process.stdout.write(`${setup}-concurrent: ${spans.length} spans\n`);
}

const CONCURRENT_CALLS = 3;
const arg = process.argv[2] ?? 'all';
const concurrent = process.argv[3] === 'concurrent';
if (arg === 'all') {
  const stacked = SETUPS.filter(setup => setup.includes('+'));
  for (const setup of stacked) {
    execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        setup,
        'concurrent',
      ],
      { stdio: 'inherit' },
    );
  }
  for (const setup of SETUPS) {
    execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), setup],
      {
        stdio: 'inherit',
      },
    );
  }
} else if ((SETUPS as readonly string[]).includes(arg)) {
  await record(arg as Setup, concurrent);
} else {
  throw new Error(`unknown setup ${arg}; one of ${SETUPS.join(', ')}, all`);
}
