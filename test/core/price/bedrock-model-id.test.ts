import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bedrockModelIdWithVendor } from '../../../src/core/price/bedrock-model-id.js';
import { createPricer } from '../../../src/core/price/pricer.js';

// Amazon Bedrock pricing, on-demand, US East (N. Virginia), read 2026-11-30
// (https://aws.amazon.com/bedrock/pricing/): Nova Lite $0.06 / $0.24 per
// million input / output tokens; Claude 3.5 Haiku $0.80 / $4.
const NOVA_LITE = { input: 0.06, output: 0.24 };
const HAIKU_35 = { input: 0.8, output: 4 };

describe('Bedrock model ids without their vendor', () => {
  it.each([
    ['nova-lite-v1:0', 'amazon.nova-lite-v1:0'],
    ['titan-embed-text-v2:0', 'amazon.titan-embed-text-v2:0'],
    [
      'claude-3-5-haiku-20241022-v1:0',
      'anthropic.claude-3-5-haiku-20241022-v1:0',
    ],
    ['us.nova-lite-v1:0', 'us.amazon.nova-lite-v1:0'],
    ['llama3-70b-instruct-v1:0', 'meta.llama3-70b-instruct-v1:0'],
    ['mistral-large-2407-v1:0', 'mistral.mistral-large-2407-v1:0'],
    ['command-r-plus-v1:0', 'cohere.command-r-plus-v1:0'],
  ])('%s gets its vendor back: %s', (model, expected) => {
    expect(bedrockModelIdWithVendor(model)).toBe(expected);
  });

  it.each([
    'amazon.nova-lite-v1:0',
    'us.amazon.nova-lite-v1:0',
    'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'gpt-4o',
    'some-unknown-model',
  ])('%s is left alone', model => {
    expect(bedrockModelIdWithVendor(model)).toBeUndefined();
  });

  it('never adds a second vendor, whatever the id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), model => {
        const vendored = bedrockModelIdWithVendor(model);
        if (vendored === undefined) return;
        expect(bedrockModelIdWithVendor(vendored)).toBeUndefined();
        expect(
          vendored.endsWith(
            model
              .toLowerCase()
              .replace(/^(?:us|eu|apac|jp|au|ca|us-gov|global)\./, ''),
          ),
        ).toBe(true);
      }),
    );
  });

  it('prices un-prefixed ids (OpenInference and Traceloop Bedrock) at the published rates', () => {
    const pricer = createPricer();
    const nova = pricer.price({
      provider: 'aws.bedrock',
      model: 'nova-lite-v1:0',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
    });
    expect(nova.priced && nova.totalUsd).toBeCloseTo(
      NOVA_LITE.input + NOVA_LITE.output,
      9,
    );
    const haiku = pricer.price({
      provider: 'aws.bedrock',
      model: 'claude-3-5-haiku-20241022-v1:0',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
    });
    expect(haiku.priced && haiku.totalUsd).toBeCloseTo(
      HAIKU_35.input + HAIKU_35.output,
      9,
    );
  });

  it('leaves the vendor alone for other providers', () => {
    const result = createPricer().price({
      provider: 'openai',
      model: 'nova-lite-v1:0',
      usage: { inputTokens: 1000, outputTokens: 1000 },
    });
    expect(result).toEqual({ priced: false, reason: 'unknown_model' });
  });
});
