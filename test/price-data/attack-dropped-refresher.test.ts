/**
 * Attack: many processors in one process, created and dropped without
 * `shutdown()` (one per tenant, per test, per request by mistake). Before
 * the fix the refresh timer held its refresher strongly, and with it the
 * swapped-in data set: every dropped processor kept about 1 MB of price
 * data for ever and went on reading the source every interval. Now the
 * timer holds it weakly: a dropped refresher is collected and its reads
 * stop. (Garbage collection is run through V8's `gc`, exposed for this
 * file only.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { createPricer } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import {
  changedPriceData,
  startPriceDataServer,
  type PriceDataServer,
} from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

let gc: () => void;
let server: PriceDataServer | undefined;
let warnings: ReturnType<typeof captureWarnings> | undefined;

beforeAll(() => {
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  warnings?.stop();
});

const sleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

/** Starts `count` refreshers, reads once each, and keeps none of them. */
async function startAndDrop(
  count: number,
  url: string,
  collected: FinalizationRegistry<number>,
): Promise<void> {
  const reads: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const pricer = new SwappablePricer(createPricer());
    const refresher = new PriceDataRefresher({
      source: url,
      refreshMillis: 50,
      timeoutMillis: 5000,
      cacheFile: undefined,
      onData: data => pricer.swap(createPricer({ priceData: data })),
    });
    collected.register(refresher, i);
    reads.push(refresher.refreshNow());
  }
  await Promise.all(reads);
}

it('a refresher dropped without shutdown is collected and stops reading', async () => {
  warnings = captureWarnings();
  server = await startPriceDataServer({
    kind: 'body',
    body: await changedPriceData(),
    etag: true,
  });
  let finalized = 0;
  const collected = new FinalizationRegistry<number>(() => finalized++);
  await startAndDrop(10, server.url, collected);
  for (let i = 0; i < 100 && finalized < 10; i++) {
    gc();
    await sleep(20);
  }
  expect(finalized).toBe(10);
  const after = server.requests.length;
  await sleep(300);
  expect(server.requests.length).toBe(after);
  expect(warnings.messages).toEqual([]);
});
