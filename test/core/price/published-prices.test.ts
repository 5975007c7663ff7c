/**
 * The audit table (issue 11, item 3): the pricer with NO override against
 * the providers' published prices, one case per (provider, model, usage).
 * Each case names the page its rates come from and the day they were read;
 * its expected cost is computed from those rates by `expectedParts`, never
 * from our dependency's output. Disagreements are not here: they are fixed
 * by the bundled corrections or listed in the pricing docs.
 */
import { describe, expect, it } from 'vitest';
import { createPricer } from '../../../src/core/price/pricer.js';
import type { CostResult } from '../../../src/index.js';
import { ANTHROPIC_CASES } from './published-prices/anthropic.js';
import { AZURE_CASES } from './published-prices/azure.js';
import { BEDROCK_CASES } from './published-prices/bedrock.js';
import { GOOGLE_CASES } from './published-prices/google.js';
import { GROQ_CASES } from './published-prices/groq.js';
import { MISTRAL_CASES } from './published-prices/mistral.js';
import { OPENAI_CASES } from './published-prices/openai.js';
import {
  NOW,
  expectedParts,
  type PublishedCase,
} from './published-prices/published-case.js';
import { XAI_CASES } from './published-prices/xai.js';

const GROUPS: Readonly<Record<string, readonly PublishedCase[]>> = {
  OpenAI: OPENAI_CASES,
  Anthropic: ANTHROPIC_CASES,
  'Google (Gemini API and Vertex AI)': GOOGLE_CASES,
  'AWS Bedrock': BEDROCK_CASES,
  'Azure OpenAI': AZURE_CASES,
  Mistral: MISTRAL_CASES,
  xAI: XAI_CASES,
  Groq: GROQ_CASES,
};

const ALL = Object.values(GROUPS).flat();

function label(c: PublishedCase): string {
  const u = c.usage;
  return `${c.provider} ${c.model} (in ${u.input}, cached ${u.cacheRead ?? 0}, written ${u.cacheWrite ?? 0}, out ${u.output})`;
}

function expectUsd(got: number | undefined, expected: number, what: string) {
  expect(got, what).toBeTypeOf('number');
  const tolerance = Math.max(1e-12, Math.abs(expected) * 1e-9);
  expect(
    Math.abs((got ?? Number.NaN) - expected),
    `${what}: got ${got}, expected ${expected}`,
  ).toBeLessThanOrEqual(tolerance);
}

function priceOf(c: PublishedCase): CostResult {
  return createPricer().price({
    provider: c.provider,
    model: c.model,
    usage: {
      inputTokens: c.usage.input,
      outputTokens: c.usage.output,
      cacheReadTokens: c.usage.cacheRead ?? 0,
      cacheWriteTokens: c.usage.cacheWrite ?? 0,
    },
    timestamp: c.at ?? NOW,
  });
}

describe('the audit table itself', () => {
  it('has at least 80 cases, each with a source page and a read date', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(80);
    for (const c of ALL) {
      expect(c.page.url, label(c)).toMatch(/^https:\/\//);
      expect(c.page.via.length, label(c)).toBeGreaterThan(10);
      expect(c.read, label(c)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('has no duplicate case', () => {
    const keys = ALL.map(label);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has self-consistent usage (cache parts within the prompt)', () => {
    for (const c of ALL) {
      const cached = (c.usage.cacheRead ?? 0) + (c.usage.cacheWrite ?? 0);
      expect(cached, label(c)).toBeLessThanOrEqual(c.usage.input);
    }
  });

  it('computes by hand what the formula computes (gpt-5.4 long context)', () => {
    const long = OPENAI_CASES.find(
      c => c.model === 'gpt-5.4' && c.usage.input > 272_000,
    );
    expect(long).toBeDefined();
    if (long === undefined) return;
    // 300K prompt, 250K cached, 4K out, all at the > 272K rates.
    const byHand = 50_000 * 5e-6 + 250_000 * 0.5e-6 + 4_000 * 22.5e-6;
    expectUsd(expectedParts(long).totalUsd, byHand, 'gpt-5.4 long by hand');
  });
});

describe('default prices agree with published prices (no override)', () => {
  for (const [group, cases] of Object.entries(GROUPS)) {
    describe(group, () => {
      it.each(cases.map(c => [label(c), c] as const))('%s', (name, c) => {
        const result = priceOf(c);
        expect(result, name).toMatchObject({ priced: true });
        if (!result.priced || result.source === 'provider') return;
        expect(result.source).not.toBe('override');
        const exp = expectedParts(c);
        expectUsd(result.totalUsd, exp.totalUsd, `${name} total`);
        expectUsd(result.inputUsd, exp.inputUsd, `${name} input`);
        expectUsd(result.cacheReadUsd, exp.cacheReadUsd, `${name} cache read`);
        expectUsd(
          result.cacheWriteUsd,
          exp.cacheWriteUsd,
          `${name} cache write`,
        );
        expectUsd(result.outputUsd, exp.outputUsd, `${name} output`);
      });
    });
  }
});
