/**
 * Emitters whose `gen_ai.usage.output_tokens` leaves the reasoning (thinking)
 * tokens out, writing them apart under `gen_ai.usage.reasoning_tokens`.
 * - Traceloop's Google Gen AI instrumentation
 *   (`@traceloop/instrumentation-google-generativeai` 0.27.0,
 *   `GenAIInstrumentation._endSpan`) copies Gemini's `usageMetadata` as is:
 *   `output_tokens` = `candidatesTokenCount`, which excludes thinking, and
 *   `reasoning_tokens` = `thoughtsTokenCount`; Gemini bills thinking as
 *   output (https://ai.google.dev/gemini-api/docs/pricing: "Output price
 *   (including thinking tokens)"), and its `total_tokens`
 *   (`totalTokenCount`) counts both. Recorded in
 *   `test/fixtures/emitters/google/traceloop.json`.
 * Everyone else follows the GenAI semconv (and OpenAI's usage), where
 * reasoning is part of output; left to the counts (see `buildUsage`).
 */
const OUTPUT_WITHOUT_REASONING_SCOPES = new Set([
  '@traceloop/instrumentation-google-generativeai',
]);

/** Whether a GenAI span's output count leaves its reasoning count out, by the emitter's scope. */
export function genAiOutputExcludesReasoning(scopeName: string): boolean {
  return OUTPUT_WITHOUT_REASONING_SCOPES.has(scopeName);
}
