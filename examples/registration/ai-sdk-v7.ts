/**
 * AI SDK v7: spans come from `@ai-sdk/otel`. Register the integration once;
 * per call, pass identity in `runtimeContext` and list the keys to record in
 * `telemetry.includeRuntimeContext`. They land on `invoke_agent` as
 * `ai.settings.context.*`; CostSpanProcessor inherits them onto every priced
 * `chat` span. (`withAttribution` around the call works too and wins.)
 *
 * Runs in this repo, against a local OTLP receiver:
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
import { OpenTelemetry } from '@ai-sdk/otel';
import { generateText, registerTelemetry } from 'ai';
import type { LanguageModel } from 'ai';

let registered = false;

export function registerAiSdkTelemetry(): void {
  if (registered) return;
  registered = true;
  // runtimeContext: true makes the GenAI integration emit ai.settings.context.*
  registerTelemetry(new OpenTelemetry({ runtimeContext: true }));
}

export async function answer(
  model: LanguageModel,
  question: string,
  user: { id: string; orgId: string },
): Promise<string> {
  const { text } = await generateText({
    model,
    prompt: question,
    runtimeContext: {
      userId: user.id,
      tenantId: user.orgId,
      accessToken: 'not recorded',
    },
    telemetry: { includeRuntimeContext: { userId: true, tenantId: true } },
  });
  return text;
}
