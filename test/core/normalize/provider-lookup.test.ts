/**
 * Provider names come from span attributes: a name that is also a property
 * of every object (`constructor`, `__proto__`, `toString`) must read as the
 * plain text it is, never as what a table object inherits.
 */
import { describe, expect, it } from 'vitest';
import { normalizeProvider } from '../../../src/core/normalize/normalize-provider.js';
import { priceProviderId } from '../../../src/core/price/price-provider-id.js';

const INHERITED = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

describe('provider look-ups', () => {
  it.each(INHERITED)('normalizeProvider(%j) is that text', name => {
    expect(normalizeProvider(name)).toBe(name.toLowerCase());
    expect(normalizeProvider(`${name}.chat`)).toBe(
      `${name}.chat`.toLowerCase(),
    );
    expect(normalizeProvider(`${name}-x`)).toBe(`${name}-x`.toLowerCase());
  });

  it.each(INHERITED)(
    'priceProviderId(%j) is unknown, not an inherited value',
    name => {
      expect(priceProviderId(name)).toBeUndefined();
    },
  );

  it('known names still map', () => {
    expect(normalizeProvider('openai.chat')).toBe('openai');
    expect(priceProviderId('openai')).toBe('openai');
  });
});
