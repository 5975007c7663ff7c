/**
 * Records the spans LangChain.js instrumentations write over `ChatAnthropic`
 * (`@langchain/anthropic`, which uses its own nested `@anthropic-ai/sdk`
 * 0.122.0: that SDK version writes no spans itself), calling the fake
 * Anthropic server on 127.0.0.1 (`test/helpers/fake-anthropic-server.ts`).
 *
 * Usage: `npx tsx scripts/record-langchain-anthropic-spans.ts <setup>` with
 * setup `anthropic-openinference`, `anthropic-traceloop`,
 * `anthropic-openinference+openinference-anthropic`, or `all` (one process
 * each). Writes `test/fixtures/emitters/langchain/<setup>.json`.
 *
 * Per setup, 2 calls: `invoke` and `stream`, each with cache reads and
 * writes (Anthropic's usage: `input_tokens` excludes the cache).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AnthropicInstrumentation } from '@arizeai/openinference-instrumentation-anthropic';
import { LangChainInstrumentation as OpenInferenceLangChain } from '@arizeai/openinference-instrumentation-langchain';
import { ChatAnthropic } from '@langchain/anthropic';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation as TraceloopLangChain } from '@traceloop/instrumentation-langchain';
import { startFakeAnthropicServer } from '../test/helpers/fake-anthropic-server.js';
import type { FakeAnthropicUsage } from '../test/helpers/fake-anthropic-server.js';
import {
  startRecorder,
  versionOf,
  writeRecording,
} from './record-spans-common.js';
import type { RecordedCall } from './record-spans-common.js';

const SETUPS = [
  'anthropic-openinference',
  'anthropic-traceloop',
  'anthropic-openinference+openinference-anthropic',
] as const;
type Setup = (typeof SETUPS)[number];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/emitters/langchain');
const MODEL = 'claude-3-5-haiku-20241022';
const USAGES: readonly FakeAnthropicUsage[] = [
  {
    inputTokens: 1200,
    outputTokens: 350,
    cacheReadTokens: 4000,
    cacheWrite5mTokens: 2000,
  },
  {
    inputTokens: 900,
    outputTokens: 200,
    cacheReadTokens: 300,
    cacheWrite5mTokens: 100,
  },
];

function nestedSdkDir(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@langchain/anthropic/package.json'));
  return join(root, 'node_modules/@anthropic-ai/sdk');
}

async function instrument(setup: Setup): Promise<Record<string, string>> {
  const nm = join(ROOT, 'node_modules');
  const packages: Record<string, string> = {
    '@langchain/core': versionOf(join(nm, '@langchain/core')),
    '@langchain/anthropic': versionOf(join(nm, '@langchain/anthropic')),
    '@anthropic-ai/sdk': versionOf(nestedSdkDir()),
  };
  if (setup.startsWith('anthropic-openinference')) {
    new OpenInferenceLangChain().manuallyInstrument(CallbackManagerModule);
    packages['@arizeai/openinference-instrumentation-langchain'] = versionOf(
      join(nm, '@arizeai/openinference-instrumentation-langchain'),
    );
  } else {
    new TraceloopLangChain().manuallyInstrument({
      callbackManagerModule: CallbackManagerModule,
    });
    packages['@traceloop/instrumentation-langchain'] = versionOf(
      join(nm, '@traceloop/instrumentation-langchain'),
    );
  }
  if (setup.endsWith('+openinference-anthropic')) {
    const url = pathToFileURL(join(nestedSdkDir(), 'index.mjs'));
    const sdk = (await import(url.href)) as Record<string, unknown>;
    new AnthropicInstrumentation().manuallyInstrument(sdk as never);
    packages['@arizeai/openinference-instrumentation-anthropic'] = versionOf(
      join(nm, '@arizeai/openinference-instrumentation-anthropic'),
    );
  }
  return packages;
}

async function record(setup: Setup): Promise<void> {
  const recorder = startRecorder();
  const packages = await instrument(setup);
  await new Promise(resolve => setTimeout(resolve, 50));
  const server = await startFakeAnthropicServer();
  const model = new ChatAnthropic({
    model: MODEL,
    apiKey: 'test-key',
    maxRetries: 0,
    clientOptions: { baseURL: server.baseURL },
  });
  const calls: RecordedCall[] = [];
  const next = (index: number): void => {
    server.configure({ usage: USAGES[index] as FakeAnthropicUsage });
  };
  const done = (index: number): void => {
    const request = server.requests.at(-1);
    calls.push({
      responseId: request?.messageId ?? '',
      model: MODEL,
      usage: { ...(USAGES[index] as FakeAnthropicUsage) },
    });
  };
  next(0);
  await model.invoke('Weather in Paris?');
  done(0);
  next(1);
  const stream = await model.stream('Weather in Rome?');
  for await (const chunk of stream) void chunk;
  done(1);
  await server.close();
  const spans = await recorder.finish();
  writeRecording(join(OUT, `${setup}.json`), {
    setup,
    description:
      'ChatAnthropic: invoke and stream (2 calls, cache reads and 5-minute writes), fake Anthropic server on 127.0.0.1',
    packages,
    calls,
    spans,
  });
  process.stdout.write(`${setup}: ${spans.length} spans\n`);
}

const arg = process.argv[2] ?? 'all';
if (arg === 'all') {
  for (const setup of SETUPS) {
    execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), setup],
      { stdio: 'inherit' },
    );
  }
} else if ((SETUPS as readonly string[]).includes(arg)) {
  await record(arg as Setup);
} else {
  throw new Error(`unknown setup ${arg}; one of ${SETUPS.join(', ')}, all`);
}
