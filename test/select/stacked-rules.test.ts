/**
 * The rules stacked matching is built on: which scope is which layer, which
 * two records are one call, which record is better informed, and how the
 * `emitters` option is read.
 */
import { describe, expect, it } from 'vitest';
import type { LlmCall, TokenUsage } from '../../src/core/llm-call.js';
import {
  emitterLayer,
  remembersFromStart,
} from '../../src/core/select/emitter-layer.js';
import {
  checkEmitters,
  parseEmitters,
  resolveEmitters,
} from '../../src/core/select/emitters.js';
import {
  betterInformed,
  compatibleUsage,
  sameModel,
} from '../../src/core/select/same-call.js';
import { resolveCostSpanProcessorOptions } from '../../src/processor/cost-span-processor-options.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';

const usage = (
  input: number,
  output: number,
  detail: Partial<TokenUsage> = {},
): TokenUsage => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  ...detail,
});

const call = (u: TokenUsage | undefined): LlmCall => ({
  emitter: 'gen_ai',
  provider: 'openai',
  model: 'gpt-4o-mini',
  operation: 'chat',
  usage: u,
  reportedCostUsd: undefined,
  responseId: undefined,
  startTimeMillis: 0,
  issues: [],
});

describe('emitterLayer', () => {
  it.each([
    ['@arizeai/openinference-instrumentation-langchain', 'framework'],
    ['@traceloop/instrumentation-langchain', 'framework'],
    ['openinference.instrumentation.langchain', 'framework'],
    ['opentelemetry.instrumentation.llamaindex', 'framework'],
    ['@arizeai/openinference-instrumentation-anthropic', 'instrumentation'],
    ['@arizeai/openinference-instrumentation-bedrock', 'instrumentation'],
    ['@traceloop/instrumentation-openai', 'instrumentation'],
    ['@opentelemetry/instrumentation-openai', 'instrumentation'],
    ['@opentelemetry/instrumentation-aws-sdk', 'instrumentation'],
    ['opentelemetry.instrumentation.openai_v2', 'instrumentation'],
    ['com.anthropic.sdk.typescript', 'provider_sdk'],
    ['com.anthropic.sdk.typescript.bedrock', 'provider_sdk'],
  ])('%s is %s', (scope, layer) => {
    expect(emitterLayer(scope)).toBe(layer);
  });

  it.each([
    '@opentelemetry/instrumentation-http',
    '@opentelemetry/instrumentation-pg',
    '@opentelemetry/instrumentation-undici',
    'ai',
    'gen_ai',
    'langfuse-sdk',
    '',
  ])('%s has no layer (never matched across traces)', scope => {
    expect(emitterLayer(scope)).toBeUndefined();
  });

  it('the AWS SDK instrumentation traces every AWS call: only its LLM-marked spans are remembered from their start', () => {
    expect(remembersFromStart('@opentelemetry/instrumentation-aws-sdk')).toBe(
      false,
    );
    expect(
      remembersFromStart('@arizeai/openinference-instrumentation-langchain'),
    ).toBe(true);
  });
});

describe('one call, two records', () => {
  it.each([
    ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', true],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', true],
    [
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      'claude-3-5-haiku-20241022',
      true,
    ],
    ['amazon.nova-lite-v1:0', 'nova-lite-v1:0', true],
    ['openai/gpt-4o', 'gpt-4o', true],
    ['gpt-4o', 'gpt-4o-mini', false],
    ['claude-sonnet-4-5', 'claude-haiku-4-5', false],
  ])('%s and %s: same model %s', (a, b, same) => {
    expect(sameModel(a, b)).toBe(same);
  });

  it('usage agrees within rounding, or by the other side detail (input without cache)', () => {
    expect(compatibleUsage(usage(1000, 300), usage(1010, 300))).toBe(true);
    expect(compatibleUsage(usage(1000, 300), usage(1100, 300))).toBe(false);
    expect(
      compatibleUsage(
        usage(3300, 250, { cacheReadTokens: 1800, cacheWriteTokens: 300 }),
        usage(1200, 250),
      ),
    ).toBe(true);
    expect(compatibleUsage(usage(1000, 300), usage(1000, 400))).toBe(false);
    expect(compatibleUsage(undefined, usage(1000, 300))).toBe(true);
  });

  it('the better-informed record carries the cache and reasoning detail; without usage it never wins', () => {
    const detailed = call(usage(1000, 300, { cacheReadTokens: 600 }));
    const plain = call(usage(1000, 300));
    expect(betterInformed(plain, detailed)).toBe(detailed);
    expect(betterInformed(detailed, plain)).toBe(detailed);
    expect(betterInformed(call(undefined), plain)).toBe(plain);
  });
});

describe('the emitters option', () => {
  it('reads modes and comma-separated scope names; refuses garbage', () => {
    expect(parseEmitters('auto')).toBe('auto');
    expect(parseEmitters(' a , b ')).toEqual(['a', 'b']);
    expect(() => parseEmitters(' , ')).toThrow();
    expect(() => checkEmitters('bogus')).toThrow();
    expect(() => checkEmitters([])).toThrow();
    expect(resolveEmitters('all')).toEqual({
      preference: undefined,
      scopes: undefined,
    });
    expect(resolveEmitters(['x']).scopes?.has('x')).toBe(true);
  });

  it('processor: option, else OTEL_GENAI_COST_EMITTERS, else auto; a bad value warns and keeps the default', () => {
    expect(resolveCostSpanProcessorOptions({ env: {} }).emitters).toBe('auto');
    expect(
      resolveCostSpanProcessorOptions({
        env: { OTEL_GENAI_COST_EMITTERS: 'framework' },
      }).emitters,
    ).toBe('framework');
    expect(
      resolveCostSpanProcessorOptions({
        emitters: ['@arizeai/openinference-instrumentation-langchain'],
        env: { OTEL_GENAI_COST_EMITTERS: 'client' },
      }).emitters,
    ).toEqual(['@arizeai/openinference-instrumentation-langchain']);
    expect(
      resolveCostSpanProcessorOptions({
        emitters: 'bogus' as never,
        env: {},
      }).emitters,
    ).toBe('auto');
  });

  it('gateway: --emitters / OTEL_GENAI_COST_EMITTERS; a bad value stops it', () => {
    const base = { forward: new URL('http://127.0.0.1:4320/v1/traces') };
    expect(
      resolveGatewayOptions({
        ...base,
        env: { OTEL_GENAI_COST_EMITTERS: 'a,b' },
      }).emitters,
    ).toEqual(['a', 'b']);
    expect(() =>
      resolveGatewayOptions({ ...base, emitters: 'bogus' as never, env: {} }),
    ).toThrow(/emitters/);
  });
});
