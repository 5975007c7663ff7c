import { describe, expect, it } from 'vitest';
import { createPricer } from '../../../src/index.js';

// Regressions from an independent review; expected values from published
// prices, not from the price library.
const AT = Date.parse('2026-11-01T12:00:00Z');

function usage(input: number, output: number, reasoning = 0) {
  return {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: reasoning,
  };
}

describe('pricer regressions', () => {
  it('keeps the per-request fee (Perplexity sonar)', () => {
    // https://docs.perplexity.ai/getting-started/pricing: Sonar $1/M input,
    // $1/M output, request fee up to $12 per 1,000 requests (high search
    // context, the figure the price table carries).
    const result = createPricer().price({
      provider: 'perplexity',
      model: 'sonar',
      usage: usage(1000, 100),
      timestamp: AT,
    });
    expect(result.priced && result.totalUsd).toBeCloseTo(
      (1000 * 1 + 100 * 1) / 1e6 + 12 / 1000,
      12,
    );
  });

  it('prices reasoning at its own rate where a model has one', () => {
    // Perplexity sonar-deep-research: $2/M input, $8/M output, $3/M reasoning.
    const result = createPricer().price({
      provider: 'perplexity',
      model: 'sonar-deep-research',
      usage: usage(1000, 10_000, 8000),
      timestamp: AT,
    });
    expect(result.priced && result.totalUsd).toBeCloseTo(
      (1000 * 2 + 2000 * 8 + 8000 * 3) / 1e6,
      12,
    );
  });

  it('prices router model ids that carry a vendor namespace (OpenRouter)', () => {
    // https://openrouter.ai/openai/gpt-4o-mini: $0.15/M input, $0.60/M output.
    const result = createPricer().price({
      provider: 'openrouter',
      model: 'openai/gpt-4o-mini',
      usage: usage(1000, 100),
      timestamp: AT,
    });
    expect(result.priced && result.totalUsd).toBeCloseTo(
      (1000 * 0.15 + 100 * 0.6) / 1e6,
      12,
    );
  });
});
