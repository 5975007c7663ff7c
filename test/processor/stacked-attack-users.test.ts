/**
 * ATTACK (wrong user): N users send the same chat prompt at once through
 * LangChain.js with OpenInference's LangChain instrumentation AND the OpenAI
 * client instrumentation (each call recorded twice, in two traces). Each
 * user's call gets a slightly different usage (within the 2 % pairing
 * tolerance, as the same template with another user's name would), so a
 * framework span of user A paired with the client span of user B shows as
 * per-user totals that do not match each user's own calls.
 *
 * The fake server here answers each request with the usage of the user
 * named in its prompt and a delay that varies per user, so spans of
 * different users interleave.
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
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { withAttribution } from '../../src/index.js';
import { costOf, expectUsd, pricedSpans } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';
import { nestedOpenAI } from '../integration/langchain-scenario.js';

const USERS = 8;
const ROUNDS = 3;

/** User i's usage: the same prompt, a few tokens more per user (< 2 %). */
function usageOf(user: number): { prompt: number; completion: number } {
  return { prompt: 1000 + 3 * user, completion: 300 + user };
}

function costOfUser(user: number): number {
  const usage = usageOf(user);
  return expectedCost(GPT_4O_MINI, {
    uncachedInput: usage.prompt,
    output: usage.completion,
  }).total;
}

interface UserServer {
  readonly baseURL: string;
  close(): Promise<void>;
}

async function startUserServer(): Promise<UserServer> {
  let sequence = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const user = Number(/user-(\d+)/.exec(text)?.[1] ?? 0);
      const usage = usageOf(user);
      sequence += 1;
      const body = JSON.stringify({
        id: `chatcmpl-user${user}-${sequence}`,
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
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          total_tokens: usage.prompt + usage.completion,
        },
      });
      // Later users answered first: the end order crosses the start order.
      setTimeout(
        () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(body);
        },
        5 + (((USERS - user) * 7) % 23),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const langchain = new LangChainInstrumentation();
const client = new OpenAIInstrumentation();
let server: UserServer;
let tracing: TestTracing;

beforeAll(async () => {
  langchain.manuallyInstrument(CallbackManagerModule);
  client.setMeterProvider(metrics.getMeterProvider());
  const openai = await nestedOpenAI();
  for (const definition of client.getModuleDefinitions()) {
    definition.patch?.(openai);
  }
  server = await startUserServer();
});

afterAll(async () => {
  langchain.disable();
  client.disable();
  await server.close();
});

afterEach(async () => {
  await tracing.shutdown();
});

async function runUsers(): Promise<void> {
  const model = new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'test-key',
    maxRetries: 0,
    configuration: { baseURL: server.baseURL },
  });
  for (let round = 0; round < ROUNDS; round += 1) {
    await Promise.all(
      Array.from({ length: USERS }, (_, user) =>
        withAttribution(
          { userId: `user-${user}`, tenantId: `tenant-${user % 3}` },
          () => model.invoke(`Weather in Paris? (asked by user-${user})`),
        ),
      ),
    );
  }
}

function expectPerUserTruth(): void {
  const byUser = new Map<string, number>();
  let count = 0;
  for (const record of tracing.sink.records) {
    if (!record.cost.priced) continue;
    count += 1;
    const user = record.identity.userId ?? 'none';
    byUser.set(user, (byUser.get(user) ?? 0) + record.cost.totalUsd);
  }
  expect(count, 'one priced record per call').toBe(USERS * ROUNDS);
  for (let user = 0; user < USERS; user += 1) {
    expectUsd(
      byUser.get(`user-${user}`) ?? 0,
      ROUNDS * costOfUser(user),
      `user-${user} total`,
    );
  }
}

describe.each(['auto', 'framework', 'client'] as const)(
  'N users, same prompt at once, LangChain + OpenAI client stacked (emitters %s)',
  emitters => {
    beforeEach(() => {
      tracing = setupTracing({ emitters });
      langchain.setTracerProvider(tracing.provider);
      client.setTracerProvider(tracing.provider);
    });

    it('bills each user for their own calls, each call once', async () => {
      await runUsers();
      const spans = await tracing.spans();
      expect(pricedSpans(spans)).toHaveLength(USERS * ROUNDS);
      for (const span of pricedSpans(spans)) {
        const user = Number(
          /user-(\d+)/.exec(String(span.attributes['user.id']))?.[1],
        );
        expectUsd(costOf(span) as number, costOfUser(user), span.name);
      }
      expectPerUserTruth();
    });
  },
);

/**
 * LangChain.js alone (no client layer to take the caller's context from):
 * its callbacks run in one background queue by default, so under
 * concurrency the `ChatOpenAI` span starts in whichever request's context
 * drained the queue (measured: every span of 8 concurrent users billed to
 * the first). `LANGCHAIN_CALLBACKS_BACKGROUND=false` runs them in the
 * caller's context: the documented setting for per-user attribution.
 */
describe('LangChain alone, LANGCHAIN_CALLBACKS_BACKGROUND=false', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env['LANGCHAIN_CALLBACKS_BACKGROUND'];
    process.env['LANGCHAIN_CALLBACKS_BACKGROUND'] = 'false';
    tracing = setupTracing();
    langchain.setTracerProvider(tracing.provider);
    // The client layer records into a provider nobody reads.
    client.setTracerProvider(new NodeTracerProvider());
  });
  afterEach(() => {
    if (saved === undefined)
      delete process.env['LANGCHAIN_CALLBACKS_BACKGROUND'];
    else process.env['LANGCHAIN_CALLBACKS_BACKGROUND'] = saved;
  });

  it('bills each user for their own calls', async () => {
    await runUsers();
    const spans = await tracing.spans();
    for (const span of pricedSpans(spans)) {
      expect(span.name).toBe('ChatOpenAI');
    }
    expectPerUserTruth();
  });
});
