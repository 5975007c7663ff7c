import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPriceOverrides } from '../../src/config/load-price-overrides.js';
import { InvalidPriceOverrideError } from '../../src/core/price/price-override.js';

const dir = mkdtempSync(join(tmpdir(), 'load-price-overrides-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadPriceOverrides', () => {
  // Review of issue 10, finding 3: an entry at fault is named with its file.
  it.each([
    [
      'negative.json',
      JSON.stringify([
        { model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 1 },
      ]),
      'price override #1 (x)',
    ],
    [
      'no-model.yaml',
      'prices:\n  - model: ok\n    inputPerMTokUsd: 2.5\n    outputPerMTokUsd: 10\n  - inputPerMTokUsd: 1\n    outputPerMTokUsd: 1\n',
      'price override #2: "model" must be a non-empty string',
    ],
    [
      'same-date.json',
      JSON.stringify([
        { model: 'm', inputPerMTokUsd: 1, outputPerMTokUsd: 2 },
        { model: 'm', inputPerMTokUsd: 3, outputPerMTokUsd: 4 },
      ]),
      'price override #2 (m)',
    ],
  ])(
    'refuses a bad entry in %s, naming the file and the entry',
    (name, text, entry) => {
      const path = file(name, text);
      let thrown: unknown;
      try {
        loadPriceOverrides(path);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidPriceOverrideError);
      expect((thrown as Error).message).toContain(`${path}: ${entry}`);
    },
  );

  it('returns the entries of a good file (gpt-4o at its published $2.50/$10 per M)', () => {
    const path = file(
      'good.json',
      JSON.stringify({
        prices: [
          { model: 'gpt-4o', inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
        ],
      }),
    );
    expect(loadPriceOverrides(path)).toEqual([
      { model: 'gpt-4o', inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
    ]);
  });
});
