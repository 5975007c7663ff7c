/**
 * The Google Gen AI scenario the `google-*.test.ts` files run against the
 * fake Gemini server (the same plan as `scripts/record-google-spans.ts`):
 * 4 calls to gemini-2.5-flash through the Gemini Developer API, two
 * `models.generateContent` and two `models.generateContentStream`, each
 * answered with its own usage (context cache and thinking tokens), so a call
 * priced twice, with another call's usage, or without its thinking tokens
 * shows in the totals. Calls 2 and 3 think LESS than they answer
 * (`thoughtsTokenCount < candidatesTokenCount`), so no "reasoning larger
 * than output" guess can rescue a reader that leaves thinking out.
 *
 * The client is loaded as CommonJS: Traceloop's `manuallyInstrument`
 * replaces the module's `GoogleGenAI` export, which an ESM namespace does
 * not allow. `google-genai-v1` is `@google/genai` 1.9.0 (an npm alias; the
 * instrumentation's supported range is `>=1.0.0 <2.0.0`); `@google/genai`
 * is 2.32.0.
 */
import { createRequire } from 'node:module';
import type {
  FakeGeminiServer,
  FakeGeminiUsage,
} from '../helpers/fake-gemini-server.js';
import { expectedCost } from '../helpers/prices.js';
import type { ExpectedCost, TokenRates } from '../helpers/prices.js';

export const GEMINI_FLASH = 'gemini-2.5-flash';

/**
 * Gemini Developer API pricing, https://ai.google.dev/gemini-api/docs/pricing
 * (Gemini 2.5 Flash, paid tier, Standard, per 1M tokens): input $0.30
 * (text / image / video), output $2.50 "including thinking tokens", context
 * caching $0.03 (text / image / video). Checked 2026-11-30 through
 * transcriptions of that page (snapshot of 2025-10-08, and input price
 * verbatim as read 2026-09-20); the page itself was not reachable from here.
 */
export const GEMINI_2_5_FLASH: TokenRates = {
  input: 0.3,
  cacheRead: 0.03,
  output: 2.5,
};

export type GenerateMode = 'json' | 'stream';

export interface GeminiCall {
  readonly mode: GenerateMode;
  readonly model: string;
  /** Gemini's semantics: prompt INCLUDES the cache, candidates EXCLUDE thinking. */
  readonly usage: FakeGeminiUsage;
}

export const GEMINI_CALLS: readonly GeminiCall[] = [
  {
    mode: 'json',
    model: GEMINI_FLASH,
    usage: {
      promptTokenCount: 3000,
      cachedContentTokenCount: 2048,
      candidatesTokenCount: 400,
      thoughtsTokenCount: 900,
    },
  },
  {
    mode: 'json',
    model: GEMINI_FLASH,
    usage: {
      promptTokenCount: 1200,
      candidatesTokenCount: 600,
      thoughtsTokenCount: 200,
    },
  },
  {
    mode: 'stream',
    model: GEMINI_FLASH,
    usage: {
      promptTokenCount: 5000,
      cachedContentTokenCount: 4096,
      candidatesTokenCount: 300,
      thoughtsTokenCount: 120,
    },
  },
  {
    mode: 'stream',
    model: GEMINI_FLASH,
    usage: { promptTokenCount: 800, candidatesTokenCount: 150 },
  },
];

/** A call's cost at the published gemini-2.5-flash prices, by part (thinking billed as output). */
export function geminiExpectedCost(usage: FakeGeminiUsage): ExpectedCost {
  const cached = usage.cachedContentTokenCount ?? 0;
  return expectedCost(GEMINI_2_5_FLASH, {
    uncachedInput: usage.promptTokenCount - cached,
    cacheRead: cached,
    output: usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0),
  });
}

/** What a call costs at the published gemini-2.5-flash prices. */
export function trueGeminiCost(usage: FakeGeminiUsage): number {
  return geminiExpectedCost(usage).total;
}

/** The subset of `@google/genai` the scenario uses (1.x and 2.x alike). */
export interface GenAiModule {
  GoogleGenAI: new (options: Record<string, unknown>) => {
    models: {
      generateContent(params: Record<string, unknown>): Promise<unknown>;
      generateContentStream(
        params: Record<string, unknown>,
      ): Promise<AsyncIterable<unknown>>;
    };
  };
}

/** `@google/genai` 1.9.0 (the `google-genai-v1` alias) as CommonJS. */
export function loadGenAiV1(): GenAiModule {
  return createRequire(import.meta.url)('google-genai-v1') as GenAiModule;
}

/** `@google/genai` 2.32.0 as CommonJS. */
export function loadGenAiV2(): GenAiModule {
  return createRequire(import.meta.url)('@google/genai') as GenAiModule;
}

/**
 * Runs `calls` one after the other with a client made AFTER instrumenting
 * (Traceloop wraps each new instance's `models`), the fake answering call
 * i with `calls[i].usage`. Returns the response ids the fake answered.
 */
export async function runGeminiScenario(
  genai: GenAiModule,
  server: FakeGeminiServer,
  calls: readonly GeminiCall[] = GEMINI_CALLS,
): Promise<string[]> {
  const before = server.requests.length;
  server.enqueueUsages(calls.map(call => call.usage));
  const client = new genai.GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: { baseUrl: server.baseUrl },
  });
  for (const [index, call] of calls.entries()) {
    const params = {
      model: call.model,
      contents: `Weather in city #${index}?`,
      config: {
        maxOutputTokens: 2048,
        thinkingConfig: { thinkingBudget: 1024 },
      },
    };
    if (call.mode === 'json') {
      await client.models.generateContent(params);
    } else {
      const stream = await client.models.generateContentStream(params);
      for await (const chunk of stream) void chunk;
    }
  }
  const answered = server.requests.slice(before);
  if (
    answered.length !== calls.length ||
    answered.some(r => r.status !== 200)
  ) {
    throw new Error(
      `fake Gemini answered ${answered.map(r => r.status).join(',')} for ${calls.length} calls`,
    );
  }
  return answered.map(request => request.responseId ?? '');
}
