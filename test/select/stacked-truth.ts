/**
 * The truth of the recorded stacked setups (test/fixtures/emitters): which
 * fixture, what each real call must cost from published prices
 * (test/helpers/prices.ts cites the pages), given what the emitters report.
 * Shared by the processor and gateway replays.
 */
import {
  CLAUDE_3_5_HAIKU,
  CLAUDE_SONNET_4_5,
  expectedCost,
  GPT_4O_MINI,
  type BilledTokens,
  type TokenRates,
} from '../helpers/prices.js';
import {
  loadRecording,
  type Recording,
} from '../fixtures/emitters/load-recorded-spans.js';

export interface StackedSetup {
  readonly file: string;
  readonly rates: TokenRates | undefined;
  /**
   * Some emitter of the stack reports the cache detail, so the call is
   * priced with it; else the cache is billed as plain input (nobody said).
   */
  readonly cacheReported: boolean;
}

/** Every recorded setup where two layers record each call. */
export const STACKED_SETUPS: readonly StackedSetup[] = [
  {
    file: 'anthropic/sdk-and-openinference.json',
    rates: CLAUDE_SONNET_4_5,
    cacheReported: true,
  },
  {
    file: 'anthropic/sdk-and-openinference-in-app-span.json',
    rates: CLAUDE_SONNET_4_5,
    cacheReported: true,
  },
  {
    file: 'langchain/openinference+otel-openai.json',
    rates: GPT_4O_MINI,
    cacheReported: true,
  },
  {
    file: 'langchain/openinference+otel-openai-concurrent.json',
    rates: GPT_4O_MINI,
    cacheReported: true,
  },
  {
    file: 'langchain/traceloop+traceloop-openai.json',
    rates: GPT_4O_MINI,
    cacheReported: false,
  },
  {
    file: 'langchain/traceloop+traceloop-openai-concurrent.json',
    rates: GPT_4O_MINI,
    cacheReported: false,
  },
  {
    file: 'langchain/anthropic-openinference+openinference-anthropic.json',
    rates: CLAUDE_3_5_HAIKU,
    cacheReported: true,
  },
  // Bedrock prices and readers belong to the Bedrock work: counted only.
  {
    file: 'bedrock/openinference+otel-aws-sdk.json',
    rates: undefined,
    cacheReported: true,
  },
];

const FIXTURES = new URL('../fixtures/emitters/', import.meta.url);

export function loadSetup(setup: StackedSetup): Recording {
  return loadRecording(new URL(setup.file, FIXTURES));
}

interface TruthCall {
  readonly usage: Readonly<Record<string, unknown>>;
}

function count(usage: Readonly<Record<string, unknown>>, key: string): number {
  const value = usage[key];
  return typeof value === 'number' ? value : 0;
}

/**
 * Billed tokens of one call from what the fake server answered, in any of
 * the recorders' spellings (Anthropic's raw usage, input excluding the
 * cache; LangChain's OpenAI and Anthropic summaries).
 */
export function billedTokens(
  call: TruthCall,
  cacheReported: boolean,
): BilledTokens {
  const u = call.usage;
  let uncached: number;
  let cacheRead: number;
  let cacheWrite: number;
  let output: number;
  if ('promptTokens' in u) {
    cacheRead = count(u, 'cachedTokens');
    cacheWrite = 0;
    uncached = count(u, 'promptTokens') - cacheRead;
    output = count(u, 'completionTokens');
  } else if ('input_tokens' in u) {
    uncached = count(u, 'input_tokens');
    cacheRead = count(u, 'cache_read_input_tokens');
    cacheWrite = count(u, 'cache_creation_input_tokens');
    output = count(u, 'output_tokens');
  } else {
    uncached = count(u, 'inputTokens');
    cacheRead = count(u, 'cacheReadTokens');
    cacheWrite = count(u, 'cacheWrite5mTokens');
    output = count(u, 'outputTokens');
  }
  return cacheReported
    ? { uncachedInput: uncached, cacheRead, cacheWrite, output }
    : { uncachedInput: uncached + cacheRead + cacheWrite, output };
}

/** Expected USD of each real call of the setup, in call order. */
export function expectedCallCosts(
  setup: StackedSetup,
  recording: Recording,
): number[] | undefined {
  const rates = setup.rates;
  if (rates === undefined) return undefined;
  const calls = recording['calls'] as readonly TruthCall[];
  return calls.map(
    call => expectedCost(rates, billedTokens(call, setup.cacheReported)).total,
  );
}

export function callCount(recording: Recording): number {
  return (recording['calls'] as readonly unknown[]).length;
}

/** Sorted, rounded to 1e-9 USD, for comparing multisets of costs. */
export function sortedUsd(values: readonly number[]): number[] {
  return values
    .map(value => Math.round(value * 1e9) / 1e9)
    .sort((a, b) => a - b);
}
