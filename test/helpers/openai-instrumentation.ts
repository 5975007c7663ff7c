/**
 * Getting the `openai` package instrumented inside vitest.
 *
 * The trick, and why: vitest loads this test code as ESM and `import OpenAI
 * from 'openai'` resolves to the package's ESM build (`index.mjs`), loaded by
 * Node's native ESM loader. `instrumentation.enable()` only installs
 * require-in-the-middle hooks (import-in-the-middle needs a `--import` loader
 * hook that vitest does not register), so an ESM-imported `OpenAI` class is
 * never patched: calls work but produce no span (verified). The ESM and CJS
 * builds are different classes, so patching one does not patch the other.
 * Two ways that do work, one per instrumentation below:
 *
 * 1. `@opentelemetry/instrumentation-openai` (contrib): register it the way
 *    an application does (`registerInstrumentations`, which installs the
 *    require hook, calls `enable()` and also `setMeterProvider()`), then load
 *    `openai` with `createRequire(import.meta.url)('openai')`. The CJS load
 *    goes through the real require-in-the-middle hook and returns the patched
 *    CJS `OpenAI`. (Patching the ESM namespace by hand with
 *    `instrumentation.getModuleDefinitions()[0].patch(await import('openai'))`
 *    also works: contrib's patch accepts an ESM namespace.)
 *    Quirk: contrib 0.21.0 creates its token histogram in
 *    `_updateMetricInstruments()`, which the constructor calls before the
 *    subclass field initialisers reset it to undefined; without a later
 *    `setMeterProvider()` the streaming path throws
 *    `Cannot read properties of undefined (reading 'record')`. Using
 *    `registerInstrumentations` (or calling `setMeterProvider` yourself)
 *    avoids it.
 * 2. `@traceloop/instrumentation-openai`: its public `manuallyInstrument(OpenAI)`
 *    (meant for ESM / bundled apps) wraps the prototypes of the class it is
 *    given, so the ESM class from `import OpenAI from 'openai'` works.
 *
 * Both wrap prototypes for the whole process (test file), so instrument once
 * per file (`beforeAll`) and point the instrumentation at each test's tracer
 * provider with `setTracerProvider` (`beforeEach`).
 */
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { OpenAIInstrumentation as TraceloopOpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import OpenAI from 'openai';

type OpenAIClass = typeof OpenAI;

export interface InstrumentedOpenAI {
  /** The `OpenAI` client class whose calls produce spans. */
  readonly OpenAI: OpenAIClass;
  /** Sends the instrumentation's spans to `provider` (call once per test). */
  setTracerProvider(
    provider: Parameters<ContribOpenAIInstrumentation['setTracerProvider']>[0],
  ): void;
  /** Removes the patches and hooks (call once per file, in `afterAll`). */
  uninstrument(): void;
}

/** contrib `@opentelemetry/instrumentation-openai`, through the real require hook. */
export function instrumentOpenAIWithContrib(): InstrumentedOpenAI {
  const instrumentation = new ContribOpenAIInstrumentation();
  const unregister = registerInstrumentations({
    instrumentations: [instrumentation],
  });
  const require = createRequire(import.meta.url);
  const cjs = require('openai') as { OpenAI: OpenAIClass };
  return {
    OpenAI: cjs.OpenAI,
    setTracerProvider: provider => instrumentation.setTracerProvider(provider),
    uninstrument: () => unregister(),
  };
}

/** `@traceloop/instrumentation-openai`, through its `manuallyInstrument` on the ESM class. */
export function instrumentOpenAIWithTraceloop(): InstrumentedOpenAI {
  const instrumentation = new TraceloopOpenAIInstrumentation();
  instrumentation.manuallyInstrument(OpenAI);
  return {
    OpenAI,
    setTracerProvider: provider => instrumentation.setTracerProvider(provider),
    uninstrument: () => {
      for (const definition of instrumentation.getModuleDefinitions()) {
        definition.unpatch?.({ OpenAI });
      }
      instrumentation.disable();
    },
  };
}
