import { afterEach, describe, expect, it } from 'vitest';
import { run as runV6 } from '../../examples/ai-sdk-v6-metadata/main.js';
import { run as runV7 } from '../../examples/ai-sdk-v7-otel/main.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import {
  CLAUDE_SONNET_4_5,
  GPT_4O_MINI,
  expectedCost,
} from '../helpers/prices.js';
import { resetGlobals } from './globals.js';
import { KeepingExporter } from './keeping-exporter.js';

afterEach(resetGlobals);

describe('examples/ai-sdk-v6-metadata', () => {
  it('bills the provider call to the user and tenant in experimental_telemetry.metadata', async () => {
    const exporter = new KeepingExporter();
    const text = await runV6({
      exporter,
      userId: 'user-9',
      tenantId: 'initech',
      plan: 'enterprise',
    });
    expect(text).toContain('fix ships today');
    const calls = exporter.llmCalls();
    expect(calls.map(span => span.name)).toEqual([
      'ai.generateText.doGenerate',
    ]);
    const [call] = calls;
    expect(call?.attributes).toMatchObject({
      'user.id': 'user-9',
      'tenant.id': 'initech',
      'app.plan': 'enterprise',
    });
    // 200 uncached + 1,000 cached input, 250 output (OpenAI gpt-4o-mini list prices).
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 200,
      cacheRead: 1000,
      output: 250,
    });
    expectUsd(call?.attributes['gen_ai.usage.cost'], expected.total);
    // The ai.generateText roll-up carries the same usage and stays unpriced.
    const rollUp = exporter.spans.find(span => span.name === 'ai.generateText');
    expect(rollUp?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});

describe('examples/ai-sdk-v7-otel', () => {
  it('bills the chat span to the withAttribution tags, once', async () => {
    const exporter = new KeepingExporter();
    const text = await runV7({ exporter, userId: 'user-3', tenantId: 'hooli' });
    expect(text).toBe('billing');
    const calls = exporter.llmCalls();
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.attributes['gen_ai.operation.name']).toBe('chat');
    expect(call?.attributes).toMatchObject({
      'user.id': 'user-3',
      'tenant.id': 'hooli',
    });
    // Anthropic: 500 uncached input, 2,000 cache reads, 500 cache writes, 400 output.
    const expected = expectedCost(CLAUDE_SONNET_4_5, {
      uncachedInput: 500,
      cacheRead: 2000,
      cacheWrite: 500,
      output: 400,
    });
    expectUsd(call?.attributes['gen_ai.usage.cost'], expected.total);
    const priced = exporter.spans.filter(
      span => span.attributes['gen_ai.usage.cost'] !== undefined,
    );
    expect(priced).toHaveLength(1);
  });
});
