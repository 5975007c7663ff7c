/**
 * Attack: refreshed data whose match rules would hurt the host. Rules run
 * on every new model id inside `span.end()` (and, for models the engine
 * prices, on every call). Before the fix the shape check only asked for a
 * `match` object, so a data file could
 * - freeze the process with a regex that backtracks catastrophically
 *   (`^(a+)+$` on a 40-character id: hours),
 * - turn every OpenAI model into `price_error` with one invalid regex, a
 *   non-string `equals` or a nesting deeper than the stack,
 * and was accepted, replacing good data. Now such a file is refused as a
 * whole (one warning, the data in use kept): skipping only the bad rule
 * could let a broader rule price the model at another model's rate.
 * Expected prices: OpenAI's published gpt-4o rates ($2.50 / $10 per
 * million tokens).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkPriceData,
  PriceDataShapeError,
} from '../../src/core/price/price-data-shape.js';
import { createPricer } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import type { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../../src/price-data/start-price-data-refresh.js';
import { bundledProviders } from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

const GPT4O = {
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
};
/** Published: $2.50 input + $10 output. */
const PUBLISHED_USD = 12.5;

let bundled: Provider[];
let warnings: ReturnType<typeof captureWarnings>;
let refresher: PriceDataRefresher | undefined;
let dir: string;

beforeAll(async () => {
  bundled = await bundledProviders();
});

beforeEach(() => {
  warnings = captureWarnings();
  dir = mkdtempSync(join(tmpdir(), 'attack-match-'));
});

afterEach(() => {
  refresher?.shutdown();
  refresher = undefined;
  warnings.stop();
});

/** The bundled data with `rule` as the first OpenAI model's match. */
function withRule(
  rule: unknown,
  where: 'model' | 'provider' = 'model',
): Provider[] {
  const providers = structuredClone(bundled);
  const openai = providers.find(p => p.id === 'openai') as Provider;
  if (where === 'provider') {
    (openai as unknown as Record<string, unknown>)['model_match'] = rule;
  } else {
    openai.models.unshift({
      id: 'planted',
      match: rule,
      prices: { input_mtok: 1, output_mtok: 1 },
    } as unknown as Provider['models'][number]);
  }
  return providers;
}

/** Refreshes from a file holding `providers`; the pricer it swaps. */
async function refreshFrom(providers: Provider[]): Promise<SwappablePricer> {
  const file = join(dir, 'data.json');
  const openai = providers.find(p => p.id === 'openai');
  const nested = openai?.models[0]?.match;
  let text = JSON.stringify(providers);
  if (nested instanceof Nested) {
    text = text.replace('{"depth":' + nested.depth + '}', nested.text());
  }
  writeFileSync(file, text);
  const pricer = new SwappablePricer(createPricer());
  refresher = startPriceDataRefresh(
    {
      priceData: {
        source: file,
        refreshSeconds: 3600,
        timeoutSeconds: 5,
        cacheFile: undefined,
      },
      overrides: [],
    },
    pricer,
  );
  await refresher?.refreshNow();
  return pricer;
}

/** A rule nested `depth` deep, as JSON text (too deep to stringify). */
class Nested {
  constructor(readonly depth: number) {}
  text(): string {
    return `${'{"or":['.repeat(this.depth)}{"equals":"gpt-4o-planted"}${']}'.repeat(this.depth)}`;
  }
}

describe('a data file with a dangerous or broken rule is refused whole', () => {
  const cases: [string, unknown, 'model' | 'provider'][] = [
    ['a catastrophically backtracking regex', { regex: '^(a+)+$' }, 'model'],
    ['an alternation under a star', { regex: '^(?:gpt|gpt)*-4o$' }, 'model'],
    ['a backreference', { regex: '^(\\w+)-\\1$' }, 'model'],
    ['many overlapping stars', { regex: '^.*.*.*.*x' }, 'model'],
    [
      'alternations in sequence, no quantifier (2^30 ways)',
      { regex: `^${'(?:a|aa)'.repeat(30)}$` },
      'model',
    ],
    ['an invalid regex', { regex: '(' }, 'model'],
    [
      'a regex of 100,000 characters (V8 builds it only on first use)',
      { regex: `^${'(?:gpt-4o)'.repeat(10_000)}$` },
      'model',
    ],
    ['a number to compare with', { equals: 5 }, 'model'],
    ['an unknown rule', { __proto__x: 'gpt-4o' }, 'model'],
    [
      'a prototype key',
      JSON.parse('{"__proto__": {"equals": "gpt-4o"}}'),
      'model',
    ],
    ['an empty or', { or: [] }, 'model'],
    ['a rule that is text', 'gpt-4o', 'provider'],
    ['a nesting deeper than the stack', new Nested(20_000), 'model'],
    ['a bad provider model_match regex', { regex: '^(o+)*1$' }, 'provider'],
  ];
  for (const [name, rule, where] of cases) {
    it(name, async () => {
      const pricer = await refreshFrom(withRule(rule, where));
      const cost = pricer.price(GPT4O);
      expect(cost.priced && cost.totalUsd).toBeCloseTo(PUBLISHED_USD, 9);
      expect(refresher?.status().version).toBeUndefined();
      expect(warnings.messages).toHaveLength(1);
      expect(warnings.messages[0]).toMatch(/not genai-prices data/);
    });
  }
});

describe('absent parts written null', () => {
  it('a null model_match or provider_match is absent, as genai-prices reads it', async () => {
    const providers = structuredClone(bundled);
    for (const p of providers) {
      const raw = p as unknown as Record<string, unknown>;
      raw['provider_match'] ??= null;
      raw['model_match'] ??= null;
    }
    const pricer = await refreshFrom(providers);
    expect(refresher?.status().version).toBeDefined();
    for (const provider of ['openai', undefined, 'azure']) {
      const cost = pricer.price({ ...GPT4O, provider });
      expect(cost.priced && cost.totalUsd).toBeCloseTo(PUBLISHED_USD, 9);
    }
  });
});

describe('regexes', () => {
  const literal = fc.stringMatching(/^[a-z0-9-]{0,6}$/);
  const atom = fc.constantFrom(
    'a',
    '.',
    '\\w',
    '[a-z]',
    '[^/]',
    '\\d',
    '(?:ab)',
  );
  const inner = fc.constantFrom('+', '*', '{1,}', '{2,9}', '?');
  const outer = fc.constantFrom('+', '*', '{2,}', '{1,40}');
  const anchor = fc.constantFrom('', '^');

  it('nested or alternating repetitions are refused, anchored or not', () => {
    fc.assert(
      fc.property(
        anchor,
        literal,
        atom,
        inner,
        outer,
        literal,
        atom,
        (start, before, a, q1, q2, after, b) => {
          for (const regex of [
            `${start}${before}(${a}${q1})${q2}${after}`,
            `${start}${before}(?:${a}|${b})${q2}${after}`,
            `${start}${before}(?:x(?:${a}${q1}))${q2}${after}`,
            `${start}${before}${`(?:${a}|${b}${b})`.repeat(20)}${after}`,
          ]) {
            expect(() => checkPriceData(withRule({ regex }))).toThrow(
              PriceDataShapeError,
            );
          }
        },
      ),
    );
  });

  it("genai-prices' own rules are all accepted", () => {
    expect(() => checkPriceData(structuredClone(bundled))).not.toThrow();
  });

  it('an id longer than 256 characters is unknown in refreshed data, at once', async () => {
    // The rules were checked for ids up to 256 characters: a longer one
    // is not matched (here it would be the planted $1 / $1 model).
    const pricer = await refreshFrom(withRule({ regex: '^a.*b$' }));
    expect(refresher?.status().version).toBeDefined();
    const short = pricer.price({ ...GPT4O, model: `a${'x'.repeat(254)}b` });
    expect(short.priced && short.totalUsd).toBeCloseTo(2, 9);
    const cost = pricer.price({ ...GPT4O, model: `a${'x'.repeat(300)}b` });
    expect(cost).toEqual({ priced: false, reason: 'unknown_model' });
  });
});
