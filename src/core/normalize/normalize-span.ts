import type { LlmCall } from '../llm-call.js';
import type { SpanFamily } from '../select/classify-span.js';
import type { SpanLike } from '../span-like.js';
import { readAiSdk } from './read-ai-sdk.js';
import { readGenAi } from './read-gen-ai.js';
import { readLangfuse } from './read-langfuse.js';
import { readOpenInference } from './read-open-inference.js';

const READERS: Readonly<Record<SpanFamily, (span: SpanLike) => LlmCall>> = {
  ai_sdk: readAiSdk,
  gen_ai: readGenAi,
  openinference: readOpenInference,
  langfuse: readLangfuse,
};

/** Reads one inference span into the normalized call model. */
export function normalizeSpan(span: SpanLike, family: SpanFamily): LlmCall {
  return READERS[family](span);
}
