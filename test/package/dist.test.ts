import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { createPricer as createPricerFromSource } from '../../src/index.js';

// Runs against the built package (npm test builds first), to catch packaging
// mistakes that tests against src/ cannot see.
const require = createRequire(import.meta.url);
// A variable, so type-checking (which runs before the build) does not look
// for dist/.
const esmEntry = '../../dist/esm/index.js';

describe('built package', () => {
  it('has ESM, CJS and type entries', () => {
    for (const file of [
      'dist/esm/index.js',
      'dist/cjs/index.js',
      'dist/esm/index.d.ts',
      'dist/cjs/index.d.ts',
    ]) {
      expect(existsSync(file), file).toBe(true);
    }
  });

  it('loads through require() and import() with the same named exports', async () => {
    const cjs = require('../../dist/cjs/index.js') as Record<string, unknown>;
    const esm = (await import(esmEntry)) as Record<string, unknown>;
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(typeof cjs['CostSpanProcessor']).toBe('function');
    expect(typeof esm['createPricer']).toBe('function');
  });

  it('prices through the built ESM entry', async () => {
    const { createPricer } = (await import(esmEntry)) as {
      createPricer: typeof createPricerFromSource;
    };
    const result = createPricer().price({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: {
        inputTokens: 1_000_000,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
    // gpt-4o-mini: $0.15 per 1M input tokens (https://openai.com/api/pricing)
    expect(result.priced && result.totalUsd).toBeCloseTo(0.15, 12);
  });
});
