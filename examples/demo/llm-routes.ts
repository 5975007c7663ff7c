/**
 * The LLM calls the demo makes, through real SDKs: the `openai` client
 * (instrumented by `@opentelemetry/instrumentation-openai`) against the
 * in-process fake server, and the AI SDK v7 (`@ai-sdk/otel`) with its mock
 * models. A call is planned from the seed first, then run, so the traffic is
 * the same whatever the timing.
 */
import { embed, generateText } from 'ai';
import { MockEmbeddingModelV4, MockLanguageModelV4 } from 'ai/test';
import type OpenAI from 'openai';
import type { Plan } from './population.js';
import type { Random } from './random.js';

export type Route =
  | {
      readonly via: 'openai';
      readonly provider: 'openai';
      readonly model: string;
    }
  | {
      readonly via: 'ai-sdk';
      readonly provider: 'openai' | 'anthropic';
      readonly model: string;
    }
  | {
      readonly via: 'ai-sdk-embed';
      readonly provider: 'openai';
      readonly model: string;
    };

const GPT_4O_MINI: Route = {
  via: 'openai',
  provider: 'openai',
  model: 'gpt-4o-mini',
};
const GPT_41: Route = { via: 'openai', provider: 'openai', model: 'gpt-4.1' };
const GPT_41_NANO: Route = {
  via: 'openai',
  provider: 'openai',
  model: 'gpt-4.1-nano',
};
const HAIKU: Route = {
  via: 'ai-sdk',
  provider: 'anthropic',
  model: 'claude-haiku-4-5',
};
const SONNET: Route = {
  via: 'ai-sdk',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
};
const EMBED: Route = {
  via: 'ai-sdk-embed',
  provider: 'openai',
  model: 'text-embedding-3-small',
};
/** A model no price table knows: the call is counted, but left unpriced. */
export const UNPRICED_ROUTE: Route = {
  via: 'openai',
  provider: 'openai',
  model: 'acme-llm-1',
};

export const PLAN_ROUTES: Readonly<Record<Plan, readonly Route[]>> = {
  enterprise: [GPT_41, SONNET, SONNET, EMBED],
  pro: [GPT_4O_MINI, GPT_4O_MINI, HAIKU, EMBED],
  free: [GPT_4O_MINI, GPT_41_NANO],
  trial: [GPT_41_NANO],
};
const UNPRICED_SHARE = 0.03;

export interface PlannedCall {
  readonly route: Route;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly prompt: string;
}

export function planCall(random: Random, plan: Plan): PlannedCall {
  const route =
    random.next() < UNPRICED_SHARE
      ? UNPRICED_ROUTE
      : random.pick(PLAN_ROUTES[plan]);
  const inputTokens = random.int(200, 4000);
  return {
    route,
    inputTokens,
    outputTokens: route.via === 'ai-sdk-embed' ? 0 : random.int(20, 800),
    cacheReadTokens: random.next() < 0.4 ? Math.floor(inputTokens * 0.6) : 0,
    prompt: `Summarize ticket #${random.int(1000, 9999)} ${'context '.repeat(random.int(1, 60))}`,
  };
}

export async function runCall(
  call: PlannedCall,
  openai: OpenAI,
  sequence: number,
): Promise<void> {
  const { route } = call;
  if (route.via === 'openai') {
    await openai.chat.completions.create({
      model: route.model,
      messages: [{ role: 'user', content: call.prompt }],
      max_completion_tokens: call.outputTokens,
      ...(call.cacheReadTokens > 0 ? { prompt_cache_key: 'demo' } : {}),
    });
  } else if (route.via === 'ai-sdk') {
    await generateText({
      model: languageModel(call, sequence),
      prompt: call.prompt,
    });
  } else {
    await embed({ model: embeddingModel(call), value: call.prompt });
  }
}

function languageModel(
  call: PlannedCall,
  sequence: number,
): MockLanguageModelV4 {
  const { route, inputTokens, outputTokens, cacheReadTokens } = call;
  return new MockLanguageModelV4({
    provider: `${route.provider}.${route.provider === 'anthropic' ? 'messages' : 'chat'}`,
    modelId: route.model,
    doGenerate: () =>
      Promise.resolve({
        content: [{ type: 'text', text: 'Done.' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: {
            total: inputTokens,
            noCache: inputTokens - cacheReadTokens,
            cacheRead: cacheReadTokens,
            cacheWrite: 0,
          },
          outputTokens: {
            total: outputTokens,
            text: outputTokens,
            reasoning: 0,
          },
        },
        warnings: [],
        response: {
          id: `msg-demo-${sequence}`,
          modelId: route.model,
          timestamp: new Date(),
        },
      }),
  });
}

function embeddingModel(call: PlannedCall): MockEmbeddingModelV4 {
  return new MockEmbeddingModelV4({
    provider: 'openai.embedding',
    modelId: call.route.model,
    doEmbed: ({ values }) =>
      Promise.resolve({
        embeddings: values.map(() => [0.1, 0.2, 0.3]),
        usage: { tokens: call.inputTokens },
        warnings: [],
      }),
  });
}
