/**
 * `aliases: ['langfuse']` and `aliases: ['openinference']` through the real
 * span processor: the exact keys and values each writes on a priced call
 * (expected from published prices), the parts summing to the total, nothing
 * on unpriced and skipped spans but their marker, privacy, and
 * `gen_ai.conversation.id`.
 */
import { context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { withAttribution } from '../../src/index.js';
import type { CostSpanProcessorOptions } from '../../src/index.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import { CLAUDE_SONNET_4_5, expectedCost } from '../helpers/prices.js';
import type { TokenRates } from '../helpers/prices.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

/**
 * OpenAI pricing, https://platform.openai.com/docs/pricing (Standard tier):
 * gpt-4o $2.50 input / $1.25 cached input / $10.00 output per 1M tokens.
 */
const GPT_4O: TokenRates = { input: 2.5, cacheRead: 1.25, output: 10 };

const COST_DETAILS = 'langfuse.observation.cost_details';
const TAGS = 'langfuse.trace.tags';
const CONVERSATION = 'gen_ai.conversation.id';
const OPENINFERENCE_KEYS = [
  'llm.cost.total',
  'llm.cost.prompt',
  'llm.cost.prompt_details.input',
  'llm.cost.prompt_details.cache_read',
  'llm.cost.prompt_details.cache_write',
  'llm.cost.completion',
  'llm.cost.completion_details.output',
];

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

interface Call {
  readonly provider?: string;
  readonly model: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
  readonly reasoning?: number;
  readonly attributes?: Record<string, string | number | string[]>;
}

/** One OTel GenAI chat span (input inclusive of cache, output of reasoning). */
async function run(
  options: CostSpanProcessorOptions,
  call: Call,
  tags: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  tracing = setupTracing(options);
  const tracer = tracing.tracer('app');
  withAttribution(tags, () => {
    const span = tracer.startSpan(`chat ${call.model}`, {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': call.provider ?? 'openai',
        'gen_ai.request.model': call.model,
        ...call.attributes,
      },
    });
    span.setAttributes({
      'gen_ai.response.model': call.model,
      'gen_ai.usage.input_tokens': call.input,
      'gen_ai.usage.output_tokens': call.output,
      ...(call.cacheRead === undefined
        ? {}
        : { 'gen_ai.usage.cache_read.input_tokens': call.cacheRead }),
      ...(call.cacheWrite === undefined
        ? {}
        : { 'gen_ai.usage.cache_creation.input_tokens': call.cacheWrite }),
      ...(call.reasoning === undefined
        ? {}
        : { 'gen_ai.usage.reasoning.output_tokens': call.reasoning }),
    });
    span.end();
  });
  const spans: ReadableSpan[] = await tracing.spans();
  expect(spans).toHaveLength(1);
  return { ...(spans[0] as ReadableSpan).attributes };
}

function costDetails(
  attributes: Record<string, unknown>,
): Record<string, number> {
  const raw = attributes[COST_DETAILS];
  expect(typeof raw).toBe('string');
  return JSON.parse(raw as string) as Record<string, number>;
}

const BOTH: CostSpanProcessorOptions = {
  aliases: ['langfuse', 'openinference'],
};
const IDENTITY = {
  userId: 'u-42',
  sessionId: 'session-7',
  tenantId: 'acme',
  plan: 'pro',
  feature: 'chat',
};

// gpt-4o: 10,000 input tokens of which 4,000 cached, 1,000 output.
const GPT_CALL: Call = {
  model: 'gpt-4o',
  input: 10_000,
  output: 1_000,
  cacheRead: 4_000,
};
const GPT_EXPECTED = expectedCost(GPT_4O, {
  uncachedInput: 6_000,
  cacheRead: 4_000,
  output: 1_000,
});

describe('langfuse alias', () => {
  it('cost_details: Langfuse usage keys, published gpt-4o prices, parts sum to the total', async () => {
    const attributes = await run(BOTH, GPT_CALL, IDENTITY);
    const details = costDetails(attributes);
    expect(Object.keys(details).sort()).toEqual(
      [
        'input',
        'input_cache_creation',
        'input_cached_tokens',
        'output',
        'total',
      ].sort(),
    );
    // $0.015 + $0.005 + $0.010 = $0.030
    expectUsd(details['input'], GPT_EXPECTED.input, 'input');
    expectUsd(
      details['input_cached_tokens'],
      GPT_EXPECTED.cacheRead,
      'cache read',
    );
    expect(details['input_cache_creation']).toBe(0);
    expectUsd(details['output'], GPT_EXPECTED.output, 'output');
    expectUsd(details['total'], 0.03, 'total');
    const parts =
      (details['input'] as number) +
      (details['output'] as number) +
      (details['input_cached_tokens'] as number) +
      (details['input_cache_creation'] as number);
    expect(Math.abs(parts - (details['total'] as number))).toBeLessThan(1e-12);
    // The total Langfuse would read without the alias is the same figure.
    expect(details['total']).toBe(attributes['gen_ai.usage.cost']);
  });

  it('cache writes: claude-sonnet-4-5 at published prices under input_cache_creation', async () => {
    const attributes = await run(
      BOTH,
      {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        input: 12_000,
        cacheRead: 6_000,
        cacheWrite: 2_000,
        output: 500,
      },
      IDENTITY,
    );
    const expected = expectedCost(CLAUDE_SONNET_4_5, {
      uncachedInput: 4_000,
      cacheRead: 6_000,
      cacheWrite: 2_000,
      output: 500,
    });
    const details = costDetails(attributes);
    expectUsd(details['input'], expected.input, 'input'); // 4,000 x $3/M
    expectUsd(details['input_cached_tokens'], expected.cacheRead, 'read'); // x $0.30/M
    expectUsd(details['input_cache_creation'], expected.cacheWrite, 'write'); // x $3.75/M
    expectUsd(details['output'], expected.output, 'output'); // x $15/M
    expectUsd(details['total'], expected.total, 'total');
    expectUsd(
      attributes['llm.cost.prompt_details.cache_write'],
      expected.cacheWrite,
    );
    expectUsd(
      (attributes['llm.cost.prompt_details.input'] as number) +
        (attributes['llm.cost.prompt_details.cache_read'] as number) +
        (attributes['llm.cost.prompt_details.cache_write'] as number),
      attributes['llm.cost.prompt'] as number,
      'prompt details sum',
    );
  });

  it('tenant, plan and feature: trace tags and observation metadata', async () => {
    const attributes = await run(BOTH, GPT_CALL, IDENTITY);
    expect(attributes[TAGS]).toEqual([
      'tenant:acme',
      'plan:pro',
      'feature:chat',
    ]);
    expect(attributes['langfuse.observation.metadata.tenant_id']).toBe('acme');
    expect(attributes['langfuse.observation.metadata.plan']).toBe('pro');
    expect(attributes['langfuse.observation.metadata.feature']).toBe('chat');
    // Langfuse reads user and session from these (written by every shell).
    expect(attributes['user.id']).toBe('u-42');
    expect(attributes['session.id']).toBe('session-7');
  });

  it('keeps the tags Langfuse would have read from the span (first key present)', async () => {
    const own = await run(
      { aliases: ['langfuse'] },
      { ...GPT_CALL, attributes: { [TAGS]: ['vip', 'plan:pro'] } },
      IDENTITY,
    );
    expect(own[TAGS]).toEqual([
      'vip',
      'plan:pro',
      'tenant:acme',
      'feature:chat',
    ]);
    await tracing?.shutdown();
    const aiSdk = await run(
      { aliases: ['langfuse'] },
      { ...GPT_CALL, attributes: { 'ai.telemetry.metadata.tags': ['beta'] } },
      { tenantId: 'acme' },
    );
    expect(aiSdk[TAGS]).toEqual(['beta', 'tenant:acme']);
    await tracing?.shutdown();
    const commaString = await run(
      { aliases: ['langfuse'] },
      { ...GPT_CALL, attributes: { 'langfuse.tags': 'a, b' } },
      { feature: 'search' },
    );
    expect(commaString[TAGS]).toEqual(['a', 'b', 'feature:search']);
  });

  it('no tags and no metadata when nothing is attributed; cost_details still written', async () => {
    const attributes = await run({ aliases: ['langfuse'] }, GPT_CALL);
    expect(attributes[TAGS]).toBeUndefined();
    expect(
      Object.keys(attributes).filter(key =>
        key.startsWith('langfuse.observation.metadata'),
      ),
    ).toEqual([]);
    expectUsd(costDetails(attributes)['total'], 0.03);
    // The openinference alias is off: none of its keys.
    for (const key of OPENINFERENCE_KEYS)
      expect(attributes[key]).toBeUndefined();
  });
});

describe('openinference alias', () => {
  it('llm.cost.* with prompt_details and completion_details at published gpt-4o prices', async () => {
    const attributes = await run({ aliases: ['openinference'] }, GPT_CALL);
    expectUsd(attributes['llm.cost.total'], 0.03, 'total');
    expectUsd(attributes['llm.cost.prompt'], 0.02, 'prompt');
    expectUsd(attributes['llm.cost.prompt_details.input'], 0.015, 'input');
    expectUsd(attributes['llm.cost.prompt_details.cache_read'], 0.005, 'read');
    expect(attributes['llm.cost.prompt_details.cache_write']).toBe(0);
    expectUsd(attributes['llm.cost.completion'], 0.01, 'completion');
    expectUsd(attributes['llm.cost.completion_details.output'], 0.01, 'output');
    const n = (key: string): number => attributes[key] as number;
    expect(
      Math.abs(
        n('llm.cost.prompt_details.input') +
          n('llm.cost.prompt_details.cache_read') +
          n('llm.cost.prompt_details.cache_write') -
          n('llm.cost.prompt'),
      ),
    ).toBeLessThan(1e-12);
    expect(
      Math.abs(
        n('llm.cost.prompt') + n('llm.cost.completion') - n('llm.cost.total'),
      ),
    ).toBeLessThan(1e-12);
    expect(attributes[COST_DETAILS]).toBeUndefined();
    expect(attributes[TAGS]).toBeUndefined();
  });

  it('with reasoning tokens the completion is not split (output excludes reasoning in the spec)', async () => {
    const attributes = await run(
      { aliases: ['openinference'] },
      { ...GPT_CALL, reasoning: 400 },
    );
    expectUsd(attributes['llm.cost.completion'], 0.01, 'completion');
    expect(attributes['llm.cost.completion_details.output']).toBeUndefined();
    expect(attributes['llm.cost.completion_details.reasoning']).toBeUndefined();
  });
});

describe('unpriced and skipped spans', () => {
  it('an unpriced call: the marker, no cost from either alias (unknown is not zero)', async () => {
    const attributes = await run(
      BOTH,
      { model: 'no-such-model-9000', input: 100, output: 10 },
      IDENTITY,
    );
    expect(attributes['gen_ai.cost.source']).toBe('unpriced');
    expect(attributes['gen_ai.cost.unpriced_reason']).toBe('unknown_model');
    expect(attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(attributes[COST_DETAILS]).toBeUndefined();
    for (const key of OPENINFERENCE_KEYS)
      expect(attributes[key]).toBeUndefined();
    // Still attributed: Langfuse can group and filter it.
    expect(attributes[TAGS]).toEqual([
      'tenant:acme',
      'plan:pro',
      'feature:chat',
    ]);
    expect(attributes[CONVERSATION]).toBe('session-7');
  });

  it('a skipped span (covered by its priced child): the marker only', async () => {
    tracing = setupTracing(BOTH);
    const tracer = tracing.tracer('app');
    withAttribution(IDENTITY, () => {
      const outer = tracer.startSpan('chat gpt-4o', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
        },
      });
      const inner = tracer.startSpan(
        'chat gpt-4o',
        {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
          },
        },
        trace.setSpan(context.active(), outer),
      );
      const usage = {
        'gen_ai.response.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.cache_read.input_tokens': 4_000,
        'gen_ai.usage.output_tokens': 1_000,
      };
      inner.setAttributes(usage);
      inner.end();
      outer.setAttributes(usage);
      outer.end();
    });
    const spans = await tracing.spans();
    expect(spans).toHaveLength(2);
    const skipped = spans.filter(
      s => s.attributes['gen_ai.cost.skipped'] !== undefined,
    );
    const priced = spans.filter(
      s => s.attributes['gen_ai.usage.cost'] !== undefined,
    );
    expect(skipped).toHaveLength(1);
    expect(priced).toHaveLength(1);
    const attributes = { ...(skipped[0] as ReadableSpan).attributes };
    expect(attributes['gen_ai.cost.skipped']).toBe('covered_by_descendant');
    expect(attributes[COST_DETAILS]).toBeUndefined();
    expect(attributes[TAGS]).toBeUndefined();
    expect(attributes[CONVERSATION]).toBeUndefined();
    for (const key of OPENINFERENCE_KEYS)
      expect(attributes[key]).toBeUndefined();
    // Its token counts stay (they belong to the instrumentation).
    expect(attributes['gen_ai.usage.input_tokens']).toBe(10_000);
    expectUsd(
      costDetails({ ...(priced[0] as ReadableSpan).attributes })['total'],
      0.03,
    );
  });
});

describe('privacy', () => {
  it('with a secret: pseudonyms only in tags, metadata and conversation id; no raw e-mail', async () => {
    const attributes = await run(
      {
        ...BOTH,
        hmacSecret: 'test-secret',
        pseudonymizeKeys: ['userId', 'sessionId', 'tenantId'],
      },
      {
        ...GPT_CALL,
        attributes: {
          'ai.telemetry.metadata.tags': ['carol@example.com', 'beta'],
        },
      },
      {
        userId: 'alice@example.com',
        sessionId: 'bob@example.com',
        tenantId: 'acme-corp',
        plan: 'dave@example.com',
      },
    );
    const text = JSON.stringify(attributes);
    expect(text).not.toContain('@example.com');
    expect(text).not.toContain('acme-corp');
    const tenant = attributes['tenant.id'] as string;
    expect(tenant).toMatch(/^hmac:[0-9a-f]{32}$/);
    const tags = attributes[TAGS] as string[];
    expect(tags).toContain('beta');
    expect(tags).toContain(`tenant:${tenant}`);
    expect(tags).toContain(`plan:${attributes['app.plan'] as string}`);
    expect(attributes['langfuse.observation.metadata.tenant_id']).toBe(tenant);
    expect(attributes[CONVERSATION]).toBe(attributes['session.id']);
    expect(attributes[CONVERSATION]).toMatch(/^hmac:[0-9a-f]{32}$/);
  });

  it('without a secret: e-mail addresses are redacted everywhere the aliases write', async () => {
    const attributes = await run(
      BOTH,
      { ...GPT_CALL, attributes: { [TAGS]: ['erin@example.com'] } },
      { sessionId: 'bob@example.com', feature: 'frank@example.com' },
    );
    expect(JSON.stringify(attributes)).not.toContain('@example.com');
    expect(attributes[CONVERSATION]).toBe(attributes['session.id']);
    expect(attributes[TAGS]).toEqual([
      'redacted-email',
      'feature:redacted-email',
    ]);
  });

  // fast-check seed 2068282821 of backend-aliases.property.test.ts: two
  // addresses of the span's own tags both become `redacted-email`, with no
  // tenant, plan or feature of ours to add; Langfuse keeps tags as a set.
  it('two own e-mail tags rewritten to one tag, nothing of ours to add', async () => {
    const attributes = await run(BOTH, {
      ...GPT_CALL,
      attributes: { [TAGS]: ['a@a.example.com', '0@0.example.com'] },
    });
    expect(JSON.stringify(attributes)).not.toContain('.example.com');
    expect(attributes[TAGS]).toEqual(['redacted-email']);
  });

  it('own tags kept once each after the rewrite beside ours', async () => {
    const attributes = await run(
      BOTH,
      {
        ...GPT_CALL,
        attributes: { [TAGS]: ['a@a.example.com', 'beta', 'b@b.example.com'] },
      },
      { plan: 'pro' },
    );
    expect(attributes[TAGS]).toEqual(['redacted-email', 'beta', 'plan:pro']);
  });
});

describe('gen_ai.conversation.id', () => {
  it('written from the session id (no alias needed)', async () => {
    const attributes = await run({}, GPT_CALL, { sessionId: 'session-7' });
    expect(attributes[CONVERSATION]).toBe('session-7');
  });

  it('never overwrites one the span has', async () => {
    const attributes = await run(
      BOTH,
      { ...GPT_CALL, attributes: { [CONVERSATION]: 'conv-1' } },
      { sessionId: 'session-7' },
    );
    expect(attributes[CONVERSATION]).toBe('conv-1');
    expect(attributes['session.id']).toBe('session-7');
  });

  it('absent when there is no session', async () => {
    const attributes = await run(BOTH, GPT_CALL, { userId: 'u-1' });
    expect(attributes[CONVERSATION]).toBeUndefined();
  });
});
