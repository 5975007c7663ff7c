/**
 * Records the spans Bedrock Runtime instrumentations write, alone and
 * stacked, calling a fake Bedrock server on 127.0.0.1
 * (`test/helpers/fake-bedrock-server.ts`).
 *
 * Usage: `npx tsx scripts/record-bedrock-spans.ts <setup>` with setup one of
 * `openinference`, `traceloop`, `otel-aws-sdk`, `openinference+otel-aws-sdk`,
 * `traceloop+otel-aws-sdk`, `openinference-patched-twice` (the hook and
 * `manuallyInstrument` both applied: two spans per call), or `all` (each
 * in its own process: the instrumentations patch the client for the whole
 * process).
 * Writes `test/fixtures/emitters/bedrock/<setup>.json`.
 *
 * Per setup, 6 calls: Converse and InvokeModel for Claude 3.5 Haiku and for
 * Amazon Nova Lite, each with its own usage (cache reads, and cache writes
 * for Claude), then one more Claude InvokeModel whose cache is smaller than
 * its uncached input, and a Claude ConverseStream.
 *
 * Wiring: the client is loaded as CommonJS (`createRequire`), because
 * OpenInference tells commands apart with `instanceof` against the CJS
 * classes it requires itself, and `@opentelemetry/instrumentation-aws-sdk`
 * patches the smithy middleware stack through the require hook
 * (`registerInstrumentations` must run before the client, or anything that
 * requires it such as the OpenInference package, is loaded).
 * OpenInference and Traceloop are applied with their `manuallyInstrument`.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as BedrockRuntime from '@aws-sdk/client-bedrock-runtime';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { startFakeBedrockServer } from '../test/helpers/fake-bedrock-server.js';
import { BEDROCK_CALLS } from '../test/integration/bedrock-plan.js';
import {
  startRecorder,
  versionOf,
  writeRecording,
} from './record-spans-common.js';
import type { RecordedCall } from './record-spans-common.js';

type BedrockModule = typeof BedrockRuntime;

const SETUPS = [
  'openinference',
  'traceloop',
  'otel-aws-sdk',
  'openinference+otel-aws-sdk',
  'traceloop+otel-aws-sdk',
  'openinference-patched-twice',
] as const;
type Setup = (typeof SETUPS)[number];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/emitters/bedrock');
const PLAN = BEDROCK_CALLS;

async function instrument(
  setup: Setup,
): Promise<{ module: BedrockModule; packages: Record<string, string> }> {
  const nm = join(ROOT, 'node_modules');
  const packages: Record<string, string> = {
    '@aws-sdk/client-bedrock-runtime': versionOf(
      join(nm, '@aws-sdk/client-bedrock-runtime'),
    ),
  };
  if (setup.endsWith('otel-aws-sdk')) {
    registerInstrumentations({ instrumentations: [new AwsInstrumentation()] });
    packages['@opentelemetry/instrumentation-aws-sdk'] = versionOf(
      join(nm, '@opentelemetry/instrumentation-aws-sdk'),
    );
  }
  if (setup === 'openinference-patched-twice') {
    // A common misconfiguration: the instrumentation constructed (its
    // require hook active) BEFORE the client is required, then also
    // instrumented by hand. The hook patches `send` when the client is
    // required and `manuallyInstrument` patches it again: two spans of the
    // same scope per call.
    const { BedrockInstrumentation } =
      await import('@arizeai/openinference-instrumentation-bedrock');
    const instrumentation = new BedrockInstrumentation();
    const module = createRequire(import.meta.url)(
      '@aws-sdk/client-bedrock-runtime',
    ) as BedrockModule;
    instrumentation.manuallyInstrument(module);
    packages['@arizeai/openinference-instrumentation-bedrock'] = versionOf(
      join(nm, '@arizeai/openinference-instrumentation-bedrock'),
    );
    return { module, packages };
  }
  const require = createRequire(import.meta.url);
  const module = require('@aws-sdk/client-bedrock-runtime') as BedrockModule;
  if (setup.startsWith('openinference')) {
    // Imported only now: it requires the client itself, which must come
    // after the aws-sdk instrumentation's require hook.
    const { BedrockInstrumentation } =
      await import('@arizeai/openinference-instrumentation-bedrock');
    new BedrockInstrumentation().manuallyInstrument(module);
    packages['@arizeai/openinference-instrumentation-bedrock'] = versionOf(
      join(nm, '@arizeai/openinference-instrumentation-bedrock'),
    );
  }
  if (setup.startsWith('traceloop')) {
    const { BedrockInstrumentation } =
      await import('@traceloop/instrumentation-bedrock');
    new BedrockInstrumentation().manuallyInstrument(module as never);
    packages['@traceloop/instrumentation-bedrock'] = versionOf(
      join(nm, '@traceloop/instrumentation-bedrock'),
    );
  }
  return { module, packages };
}

function invokeBody(modelId: string): Record<string, unknown> {
  if (modelId.startsWith('anthropic.')) {
    return {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 512,
      system: [
        {
          type: 'text',
          text: 'You are terse.',
          cache_control: { type: 'ephemeral' },
        },
      ],
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Weather in Paris?' }],
        },
      ],
    };
  }
  return {
    schemaVersion: 'messages-v1',
    system: [{ text: 'You are terse.' }, { cachePoint: { type: 'default' } }],
    messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
    inferenceConfig: { maxTokens: 512 },
  };
}

async function record(setup: Setup): Promise<void> {
  const recorder = startRecorder();
  const { module, packages } = await instrument(setup);
  const server = await startFakeBedrockServer();
  const client = new module.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test' },
    maxAttempts: 1,
  });
  const calls: RecordedCall[] = [];
  for (const planned of PLAN) {
    server.configure(planned.usage);
    if (planned.operation === 'converse-stream') {
      const response = await client.send(
        new module.ConverseStreamCommand({
          modelId: planned.modelId,
          messages: [
            { role: 'user', content: [{ text: 'Weather in Paris?' }] },
          ],
          inferenceConfig: { maxTokens: 512 },
        }),
      );
      for await (const event of response.stream ?? []) void event;
    } else if (planned.operation === 'converse') {
      await client.send(
        new module.ConverseCommand({
          modelId: planned.modelId,
          system: [
            { text: 'You are terse.' },
            { cachePoint: { type: 'default' } },
          ],
          messages: [
            { role: 'user', content: [{ text: 'Weather in Paris?' }] },
          ],
          inferenceConfig: { maxTokens: 512 },
        }),
      );
    } else {
      await client.send(
        new module.InvokeModelCommand({
          modelId: planned.modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify(invokeBody(planned.modelId)),
        }),
      );
    }
    const request = server.requests.at(-1);
    calls.push({
      responseId: request?.requestId ?? '',
      model: planned.modelId,
      operation: planned.operation,
      usage: { ...planned.usage },
    } as RecordedCall);
  }
  client.destroy();
  await server.close();
  const spans = await recorder.finish();
  writeRecording(join(OUT, `${setup}.json`), {
    setup,
    description:
      'BedrockRuntimeClient: Converse and InvokeModel for Claude 3.5 Haiku and Nova Lite, then Claude InvokeModel again and Claude ConverseStream (6 calls), fake Bedrock server on 127.0.0.1; responseId is the x-amzn-RequestId',
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
      {
        stdio: 'inherit',
      },
    );
  }
} else if ((SETUPS as readonly string[]).includes(arg)) {
  await record(arg as Setup);
} else {
  throw new Error(`unknown setup ${arg}; one of ${SETUPS.join(', ')}, all`);
}
