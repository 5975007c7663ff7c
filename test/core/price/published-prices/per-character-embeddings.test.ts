/**
 * Vertex AI's text embedding models before Gemini Embedding are billed per
 * 1,000 input characters (text-embedding-004/005, text-multilingual-embedding
 * and the gecko family: $0.000025 per 1,000 characters online, per the Vertex
 * pricing page as quoted by zilliz.com and toolstac.com). A span carries
 * token counts, not characters, so no per-token rate is right for them: they
 * must stay unpriced (`unknown_model`, so a user sees them and can add an
 * override), never $0 and never a guessed per-token price.
 * gemini-embedding-001 is billed per token and is priced (see google.ts).
 */
import { describe, expect, it } from 'vitest';
import { createPricer } from '../../../../src/core/price/pricer.js';
import { NOW } from './published-case.js';

const PER_CHARACTER = [
  ['gcp.vertex_ai', 'text-embedding-005'],
  ['gcp.vertex_ai', 'text-embedding-004'],
  ['gcp.vertex_ai', 'text-multilingual-embedding-002'],
  ['gcp.vertex_ai', 'textembedding-gecko@003'],
  ['gcp.vertex_ai', 'textembedding-gecko-multilingual@001'],
  ['gcp.vertex_ai', 'publishers/google/models/text-embedding-005'],
] as const;

describe('Vertex embeddings billed per character stay unpriced', () => {
  it.each(PER_CHARACTER)(
    '%s %s is unknown_model, not $0',
    (provider, model) => {
      const result = createPricer().price({
        provider,
        model,
        usage: {
          inputTokens: 12_000,
          outputTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
        },
        timestamp: NOW,
      });
      expect(result).toEqual({ priced: false, reason: 'unknown_model' });
    },
  );

  it('the per-token Gemini embedding model is priced (so the guard above is not vacuous)', () => {
    const result = createPricer().price({
      provider: 'gcp.vertex_ai',
      model: 'gemini-embedding-001',
      usage: {
        inputTokens: 12_000,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      timestamp: NOW,
    });
    // $0.15 per million input tokens.
    expect(result).toMatchObject({ priced: true });
    expect(result.priced && result.totalUsd).toBeCloseTo(12_000 * 0.15e-6, 12);
  });
});
