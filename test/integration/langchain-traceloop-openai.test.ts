/**
 * STACKED: LangChain.js with `@traceloop/instrumentation-langchain` 0.27.0
 * AND `@traceloop/instrumentation-openai` 0.27.0 (`manuallyInstrument` on the
 * `openai` copy ChatOpenAI uses), against the fake OpenAI server.
 *
 * Each model call is recorded twice, both as root spans in separate traces:
 * Traceloop LangChain's `chat gpt-4o-mini` (usage, no response id) and
 * Traceloop OpenAI's `chat gpt-4o-mini` (usage and `gen_ai.response.id`;
 * for `stream()` NO usage at all: it ignores the usage chunk). Neither has
 * cache detail, so the best total is every prompt token at the input rate.
 * Exactly once means 4 priced spans for 4 calls, the streamed call priced
 * from the LangChain span. Fails until the stacked-instrumentation selection
 * lands (today 7 priced spans: the streamed call's client span is
 * `missing_usage`).
 */
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation } from '@traceloop/instrumentation-langchain';
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import { ChatOpenAI } from '@langchain/openai';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.js';
import type {
  FakeChatUsage,
  FakeOpenAIServer,
} from '../helpers/fake-openai-server.js';
import { setupTracing, spansNamed } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  CALL_USAGES,
  MODEL,
  costWithoutCacheDetail,
  expectPricedOncePerCall,
  expectProcessTotal,
  nestedOpenAI,
  runLangChainScenario,
} from './langchain-scenario.js';

const langchain = new LangChainInstrumentation();
const client = new OpenAIInstrumentation();
let server: FakeOpenAIServer;
let tracing: TestTracing;

beforeAll(async () => {
  langchain.manuallyInstrument({
    callbackManagerModule: CallbackManagerModule,
  });
  const openai = await nestedOpenAI();
  client.manuallyInstrument(openai['OpenAI'] as never);
  server = await startFakeOpenAIServer();
});

afterAll(async () => {
  langchain.disable();
  client.disable();
  await server.close();
});

beforeEach(() => {
  tracing = setupTracing();
  langchain.setTracerProvider(tracing.provider);
  client.setTracerProvider(tracing.provider);
});

afterEach(async () => {
  await tracing.shutdown();
});

const byScope =
  (name: string) => (span: { instrumentationScope: { name: string } }) =>
    span.instrumentationScope.name === name;

describe('LangChain.js + Traceloop LangChain + Traceloop OpenAI (stacked)', () => {
  it('records each call twice, every span a root (the shape the selection must handle)', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    const calls = spansNamed(spans, 'chat gpt-4o-mini');
    expect(
      calls.filter(byScope('@traceloop/instrumentation-langchain')),
    ).toHaveLength(4);
    const clientSpans = calls.filter(
      byScope('@traceloop/instrumentation-openai'),
    );
    expect(clientSpans).toHaveLength(4);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(
      clientSpans.filter(
        span => span.attributes['gen_ai.usage.input_tokens'] === undefined,
      ),
      'the streamed call has no usage on the client span',
    ).toHaveLength(1);
  });

  it('prices each call exactly once', async () => {
    await runLangChainScenario(server);
    const spans = await tracing.spans();
    expectPricedOncePerCall(spans, CALL_USAGES.map(costWithoutCacheDetail));
    expectProcessTotal(tracing, CALL_USAGES.map(costWithoutCacheDetail));
  });

  it('3 identical concurrent calls: priced 3 times, not 6 and not 1', async () => {
    const usage = CALL_USAGES[0] as FakeChatUsage;
    server.configure({ chatUsage: usage });
    const model = new ChatOpenAI({
      model: MODEL,
      apiKey: 'test-key',
      maxRetries: 0,
      configuration: { baseURL: server.baseURL },
    });
    await Promise.all([1, 2, 3].map(() => model.invoke('Weather in Paris?')));
    const spans = await tracing.spans();
    const expected = [
      costWithoutCacheDetail(usage),
      costWithoutCacheDetail(usage),
      costWithoutCacheDetail(usage),
    ];
    expectPricedOncePerCall(spans, expected);
    expectProcessTotal(tracing, expected);
  });
});
