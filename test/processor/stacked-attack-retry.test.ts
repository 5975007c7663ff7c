/**
 * ATTACK (counted twice): LangChain.js retries a failed model call itself
 * (`maxRetries`, p-retry backoff of 1-2 s before the second attempt) inside
 * ONE `ChatOpenAI` LLM span; the OpenAI client instrumentation records each
 * attempt as its own client span. The successful attempt starts more than
 * a second after the framework span, so the 1 s start rule alone would not
 * pair them: the call would be priced on both layers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { ChatOpenAI } from '@langchain/openai';
import { metrics } from '@opentelemetry/api';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { costOf, expectUsd, pricedSpans } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import { nestedOpenAI } from '../integration/langchain-scenario.js';

const PROMPT = 1200;
const CACHED = 1024;
const COMPLETION = 250;

interface FlakyServer {
  readonly baseURL: string;
  failNext(count: number): void;
  close(): Promise<void>;
}

/** Answers 500 to the next `failNext` requests, then a usage with cache detail. */
async function startFlakyServer(): Promise<FlakyServer> {
  let failures = 0;
  let sequence = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      sequence += 1;
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: 'overloaded', type: 'server_error' },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-retry${sequence}`,
          object: 'chat.completion',
          created: 1_700_000_000 + sequence,
          model: 'gpt-4o-mini-2024-07-18',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'Sunny.' },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage: {
            prompt_tokens: PROMPT,
            completion_tokens: COMPLETION,
            total_tokens: PROMPT + COMPLETION,
            prompt_tokens_details: { cached_tokens: CACHED },
          },
        }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    failNext(count) {
      failures = count;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const langchain = new LangChainInstrumentation();
const client = new OpenAIInstrumentation();
let server: FlakyServer;
let tracing: TestTracing;

beforeAll(async () => {
  langchain.manuallyInstrument(CallbackManagerModule);
  client.setMeterProvider(metrics.getMeterProvider());
  const openai = await nestedOpenAI();
  for (const definition of client.getModuleDefinitions()) {
    definition.patch?.(openai);
  }
  server = await startFlakyServer();
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

describe('LangChain retry inside one LLM span, OpenAI client instrumentation stacked', () => {
  it('prices the one successful call once', { timeout: 20_000 }, async () => {
    server.failNext(1);
    const model = new ChatOpenAI({
      model: 'gpt-4o-mini',
      apiKey: 'test-key',
      maxRetries: 1,
      configuration: { baseURL: server.baseURL },
    });
    await model.invoke('Weather in Paris?');
    const spans = await tracing.spans();
    const clientSpans = spans.filter(s => s.name === 'chat gpt-4o-mini');
    expect(clientSpans, 'two attempts recorded').toHaveLength(2);
    const framework = spans.find(s => s.name === 'ChatOpenAI');
    const second = clientSpans[1];
    expect(framework).toBeDefined();
    const startGapMillis =
      (second!.startTime[0] - framework!.startTime[0]) * 1000 +
      (second!.startTime[1] - framework!.startTime[1]) / 1e6;
    expect(
      startGapMillis,
      'the retry starts over 1 s after the framework span',
    ).toBeGreaterThan(1000);
    const truth = expectedCost(GPT_4O_MINI, {
      uncachedInput: PROMPT - CACHED,
      cacheRead: CACHED,
      output: COMPLETION,
    }).total;
    const priced = pricedSpans(spans);
    expect(priced.map(s => `${s.name} ${costOf(s)}`)).toHaveLength(1);
    expectUsd(costOf(priced[0]!) as number, truth, 'the call');
    const records = tracing.sink.records.filter(r => r.cost.priced);
    expect(records).toHaveLength(1);
  });
});
