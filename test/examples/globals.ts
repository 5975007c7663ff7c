import { context, propagation, trace } from '@opentelemetry/api';

/** Undoes what an example's `provider.register()` / `registerTelemetry()` set globally. */
export function resetGlobals(): void {
  trace.disable();
  context.disable();
  propagation.disable();
  (
    globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown }
  ).AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
}
