/**
 * Records the spans `@traceloop/instrumentation-google-generativeai` writes
 * for `@google/genai`, calling a fake Gemini server on 127.0.0.1
 * (`test/helpers/fake-gemini-server.ts`).
 *
 * Usage: `npx tsx scripts/record-google-spans.ts <setup>` with setup one of
 * - `traceloop`: `@google/genai` 1.9.0 (the `google-genai-v1` alias, in the
 *   instrumentation's range `>=1.0.0 <2.0.0`), `manuallyInstrument` on its
 *   CommonJS module (the alias name does not match the require hook's
 *   `@google/genai`);
 * - `traceloop-v2-manual`: `@google/genai` 2.32.0 (outside the range, so
 *   the require hook leaves it alone), `manuallyInstrument` on its CommonJS
 *   module: whether the 1.x wrapping still works on 2.x;
 * - `all`: each in its own process (the patch lasts for the process).
 * Writes `test/fixtures/emitters/google/<setup>.json`.
 *
 * The plan (4 gemini-2.5-flash calls, JSON and stream, context cache and
 * thinking tokens) is `GEMINI_CALLS` in
 * `test/integration/google-genai-scenario.ts`.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenAIInstrumentation } from '@traceloop/instrumentation-google-generativeai';
import { startFakeGeminiServer } from '../test/helpers/fake-gemini-server.js';
import {
  GEMINI_CALLS,
  loadGenAiV1,
  loadGenAiV2,
  runGeminiScenario,
} from '../test/integration/google-genai-scenario.js';
import {
  startRecorder,
  versionOf,
  writeRecording,
} from './record-spans-common.js';
import type { RecordedCall } from './record-spans-common.js';

const SETUPS = ['traceloop', 'traceloop-v2-manual'] as const;
type Setup = (typeof SETUPS)[number];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/emitters/google');
const NODE_MODULES = join(ROOT, 'node_modules');

async function record(setup: Setup): Promise<void> {
  const recorder = startRecorder();
  const instrumentation = new GenAIInstrumentation();
  instrumentation.setTracerProvider(recorder.provider);
  const v2 = setup === 'traceloop-v2-manual';
  const genai = v2 ? loadGenAiV2() : loadGenAiV1();
  instrumentation.manuallyInstrument(genai as never);
  const server = await startFakeGeminiServer();
  const responseIds = await runGeminiScenario(genai, server);
  await server.close();
  const calls: RecordedCall[] = GEMINI_CALLS.map((call, index) => ({
    responseId: responseIds[index] ?? '',
    model: call.model,
    mode: call.mode,
    usage: { ...call.usage },
  }));
  const spans = await recorder.finish();
  writeRecording(join(OUT, `${setup}.json`), {
    setup,
    description: `@google/genai ${v2 ? '2.32 (outside the instrumentation range)' : '1.9 (google-genai-v1 alias)'} as CommonJS with Traceloop manuallyInstrument: models.generateContent twice, models.generateContentStream twice (gemini-2.5-flash, Gemini API, context cache and thinking tokens), fake Gemini server on 127.0.0.1; usage in Gemini's semantics (promptTokenCount includes the cache, candidatesTokenCount excludes thinking)`,
    packages: {
      '@traceloop/instrumentation-google-generativeai': versionOf(
        join(NODE_MODULES, '@traceloop/instrumentation-google-generativeai'),
      ),
      '@google/genai': versionOf(
        join(NODE_MODULES, v2 ? '@google/genai' : 'google-genai-v1'),
      ),
    },
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
