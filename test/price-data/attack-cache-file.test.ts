/**
 * Attack: the cache file in a shared temporary directory. Its default
 * path is predictable, and before the fix it was the same for every user
 * (`/tmp/otel-genai-cost/...`), `mkdir` accepted a directory another user
 * had made first, and the file was read through a symbolic link (only
 * the target's owner was checked). So another local user could point our
 * cache at any file of ours holding price data (our prices set from it)
 * and have us write our cache into their directory. Now the cache's
 * directory must be ours (or root's) and not writable by others unless
 * sticky, the cache is never read through a link nor written through a
 * planted file, and the default directory is per user.
 * Making files of another user needs root (chown): the cases that need it
 * run only as root (this machine's tests run as root).
 * Expected prices: OpenAI's published gpt-4o rates ($2.50 / $10 per
 * million tokens); the planted data says $3 input.
 */
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPricer } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import { defaultPriceDataCacheFile } from '../../src/price-data/price-data-cache.js';
import type { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../../src/price-data/start-price-data-refresh.js';
import {
  changedPriceData,
  startPriceDataServer,
  type PriceDataServer,
} from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

const GPT4O = {
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
};
/** Published: $2.50 input + $10 output. */
const PUBLISHED_USD = 12.5;
/** The planted data: $3 input + $10 output. */
const PLANTED_USD = 13;
const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

let body: string;
let dir: string;
let warnings: ReturnType<typeof captureWarnings>;
let refresher: PriceDataRefresher | undefined;
let server: PriceDataServer | undefined;

beforeAll(async () => {
  body = await changedPriceData();
});

beforeEach(() => {
  warnings = captureWarnings();
  dir = mkdtempSync(join(tmpdir(), 'attack-cache-'));
});

afterEach(async () => {
  refresher?.shutdown();
  refresher = undefined;
  await server?.close();
  server = undefined;
  warnings.stop();
});

/** Starts a refresh from `source` with `cacheFile`; the pricer it swaps. */
function start(source: string, cacheFile: string): SwappablePricer {
  const pricer = new SwappablePricer(createPricer());
  refresher = startPriceDataRefresh(
    {
      priceData: { source, refreshSeconds: 3600, timeoutSeconds: 2, cacheFile },
      overrides: [],
    },
    pricer,
  );
  return pricer;
}

function total(pricer: SwappablePricer): number | false {
  const cost = pricer.price(GPT4O);
  return cost.priced && cost.totalUsd;
}

/** A directory another user made world-writable, as /tmp allows. */
function foreignDirectory(): string {
  const shared = join(dir, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o777);
  chownSync(shared, NOBODY, NOBODY);
  return shared;
}

const UNREACHABLE = 'http://127.0.0.1:1/data.json';

describe('a cache in a directory of another user', () => {
  it('is not read through the link they planted to a file of ours', () => {
    if (!ROOT) return;
    const ours = join(dir, 'ours.json');
    writeFileSync(ours, body);
    const shared = foreignDirectory();
    symlinkSync(ours, join(shared, 'cache.json'));
    const pricer = start(UNREACHABLE, join(shared, 'cache.json'));
    expect(total(pricer)).toBeCloseTo(PUBLISHED_USD, 9);
    expect(warnings.messages[0]).toMatch(
      /directory .* belongs to another user/,
    );
  });

  it('is not written: their directory keeps only what they put there', async () => {
    if (!ROOT) return;
    const ours = join(dir, 'ours.json');
    writeFileSync(ours, 'ours');
    const shared = foreignDirectory();
    symlinkSync(ours, join(shared, 'cache.json'));
    server = await startPriceDataServer({ kind: 'body', body });
    const pricer = start(server.url, join(shared, 'cache.json'));
    await refresher?.refreshNow();
    // The source still prices (the cache is only a copy).
    expect(total(pricer)).toBeCloseTo(PLANTED_USD, 9);
    expect(readdirSync(shared)).toEqual(['cache.json']);
    expect(lstatSync(join(shared, 'cache.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(ours, 'utf8')).toBe('ours');
  });
});

describe('a cache in a directory of ours', () => {
  it('is never read through a symbolic link', () => {
    const ours = join(dir, 'ours.json');
    writeFileSync(ours, body);
    const cacheDir = join(dir, 'cache');
    mkdirSync(cacheDir, { mode: 0o700 });
    symlinkSync(ours, join(cacheDir, 'data.json'));
    const pricer = start(UNREACHABLE, join(cacheDir, 'data.json'));
    expect(total(pricer)).toBeCloseTo(PUBLISHED_USD, 9);
    expect(warnings.messages[0]).toMatch(/cache .* is not a file/);
  });

  it('is not used when others may write to the directory (not sticky)', () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    writeFileSync(join(open, 'data.json'), body);
    const pricer = start(UNREACHABLE, join(open, 'data.json'));
    expect(total(pricer)).toBeCloseTo(PUBLISHED_USD, 9);
    expect(warnings.messages[0]).toMatch(/writable by other users/);
  });

  it('is used in a sticky shared directory (as /tmp), read and written', async () => {
    const sticky = join(dir, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const cacheFile = join(sticky, 'data.json');
    server = await startPriceDataServer({ kind: 'body', body });
    start(server.url, cacheFile);
    await refresher?.refreshNow();
    expect(readFileSync(cacheFile, 'utf8')).toBe(body);
    refresher?.shutdown();
    const again = start(UNREACHABLE, cacheFile);
    expect(total(again)).toBeCloseTo(PLANTED_USD, 9);
  });
});

describe('without user ids (Windows)', () => {
  it('the mode bits are not read: a cache in any directory is used', () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    writeFileSync(join(open, 'data.json'), body);
    const getuid = Object.getOwnPropertyDescriptor(process, 'getuid');
    Object.defineProperty(process, 'getuid', {
      value: undefined,
      configurable: true,
    });
    try {
      const pricer = start(UNREACHABLE, join(open, 'data.json'));
      expect(total(pricer)).toBeCloseTo(PLANTED_USD, 9);
    } finally {
      if (getuid !== undefined)
        Object.defineProperty(process, 'getuid', getuid);
    }
  });
});

describe('the default cache', () => {
  it('is in a directory of its own per user', () => {
    const file = defaultPriceDataCacheFile('https://prices.example/data.json');
    const uid = process.getuid?.();
    expect(file).toContain(
      join(
        tmpdir(),
        uid === undefined ? 'otel-genai-cost' : `otel-genai-cost-${uid}`,
      ),
    );
  });
});
