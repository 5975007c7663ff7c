/**
 * The LangChain.js scenario the `langchain-*.test.ts` files run against the
 * fake OpenAI server (the same as `scripts/record-langchain-spans.ts`):
 * `ChatOpenAI.invoke`, `ChatOpenAI.stream`, and a chain
 * `prompt | model | parser | prompt | model` — 4 model calls, each answered
 * with its own usage (cached and reasoning tokens), so a call priced twice
 * or with another call's usage shows in the totals.
 *
 * `@langchain/openai` 1.5.0 depends on its own `openai` (6.49.0, nested in
 * its `node_modules`), so a client instrumentation must patch that copy:
 * `nestedOpenAI()` imports its ESM build (the module instance ChatOpenAI
 * uses).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda } from '@langchain/core/runnables';
import { ChatOpenAI } from '@langchain/openai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import { costOf, expectUsd, pricedSpans } from '../helpers/cost-assertions.js';
import type {
  FakeChatUsage,
  FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import type { TestTracing } from '../helpers/tracing.js';

export const MODEL = 'gpt-4o-mini';

/** One usage per call, in OpenAI's semantics (prompt includes cached, completion includes reasoning). */
export const CALL_USAGES: readonly FakeChatUsage[] = [
  {
    promptTokens: 1000,
    completionTokens: 300,
    cachedTokens: 600,
    reasoningTokens: 100,
  },
  {
    promptTokens: 1200,
    completionTokens: 250,
    cachedTokens: 1024,
    reasoningTokens: 64,
  },
  { promptTokens: 800, completionTokens: 120 },
  {
    promptTokens: 2048,
    completionTokens: 512,
    cachedTokens: 1536,
    reasoningTokens: 256,
  },
];

/** What each call really costs at OpenAI's published gpt-4o-mini prices. */
export function trueCost(usage: FakeChatUsage): number {
  const cached = usage.cachedTokens ?? 0;
  return expectedCost(GPT_4O_MINI, {
    uncachedInput: usage.promptTokens - cached,
    cacheRead: cached,
    output: usage.completionTokens,
  }).total;
}

/** What a call costs when the span drops the cache detail (all prompt tokens at the input rate). */
export function costWithoutCacheDetail(usage: FakeChatUsage): number {
  return expectedCost(GPT_4O_MINI, {
    uncachedInput: usage.promptTokens,
    output: usage.completionTokens,
  }).total;
}

/** The `openai` module instance `@langchain/openai` uses (its nested copy, ESM). */
export async function nestedOpenAI(): Promise<Record<string, unknown>> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@langchain/openai/package.json'));
  const url = pathToFileURL(join(root, 'node_modules/openai/index.mjs'));
  return (await import(url.href)) as Record<string, unknown>;
}

/** Runs the 4 calls; the server answers call i with `CALL_USAGES[i]`. */
export async function runLangChainScenario(
  server: FakeOpenAIServer,
): Promise<void> {
  const requestsBefore = server.requests.length;
  let next = 0;
  const configureNext = (): void => {
    server.configure({ chatUsage: CALL_USAGES[next] as FakeChatUsage });
    next += 1;
  };
  const model = new ChatOpenAI({
    model: MODEL,
    apiKey: 'test-key',
    maxRetries: 0,
    configuration: { baseURL: server.baseURL },
  });
  configureNext();
  await model.invoke('Weather in Paris?');
  configureNext();
  const stream = await model.stream('Weather in Rome?');
  for await (const chunk of stream) void chunk;
  const before = RunnableLambda.from((input: unknown) => {
    configureNext();
    return input;
  });
  const chain = ChatPromptTemplate.fromTemplate('Name a city in {country}.')
    .pipe(before)
    .pipe(model)
    .pipe(new StringOutputParser())
    .pipe(RunnableLambda.from((city: string) => ({ city })))
    .pipe(ChatPromptTemplate.fromTemplate('Weather in {city}?'))
    .pipe(before)
    .pipe(model)
    .pipe(new StringOutputParser());
  await chain.invoke({ country: 'France' });
  expect(next, 'the scenario makes 4 model calls').toBe(4);
  expect(server.requests.length - requestsBefore).toBe(4);
}

/**
 * Each call is priced exactly once, at `expectedPerCall` (one amount per
 * call, any order): as many priced spans as calls, and the sorted costs
 * equal the sorted expected amounts.
 */
export function expectPricedOncePerCall(
  spans: readonly ReadableSpan[],
  expectedPerCall: readonly number[],
): void {
  const priced = pricedSpans(spans);
  const describe = priced
    .map(
      span =>
        `${span.name} [${span.instrumentationScope.name}] ${costOf(span)}`,
    )
    .join('\n');
  expect(priced.length, `priced spans (want one per call):\n${describe}`).toBe(
    expectedPerCall.length,
  );
  const actual = priced
    .map(span => costOf(span) as number)
    .sort((a, b) => a - b);
  const expected = [...expectedPerCall].sort((a, b) => a - b);
  actual.forEach((cost, index) => {
    expectUsd(cost, expected[index] as number, `priced call #${index}`);
  });
}

/**
 * The process view: the sinks received exactly one priced record per call
 * and their total equals the sum of `expectedPerCall`.
 */
export function expectProcessTotal(
  tracing: TestTracing,
  expectedPerCall: readonly number[],
): void {
  const priced = tracing.sink.records.flatMap(record =>
    record.cost.priced ? [record.cost.totalUsd] : [],
  );
  expect(priced, 'priced records in the sinks').toHaveLength(
    expectedPerCall.length,
  );
  expectUsd(
    priced.reduce((sum, cost) => sum + cost, 0),
    expectedPerCall.reduce((sum, cost) => sum + cost, 0),
    'process total of the priced records',
  );
}
