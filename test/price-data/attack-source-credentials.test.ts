/**
 * Attack: a price data URL that holds credentials (`https://user:pass@`)
 * or a token in its query. fetch refuses a URL with credentials, and its
 * error text repeats the whole URL: before the fix every refresh failed
 * and the warning carried the password and the token. Now the credentials
 * go as HTTP Basic authentication, no warning ever names them (generated
 * credentials, several failure kinds), and a bad `--price-data-url` flag
 * is refused without its value. Expected prices: OpenAI's published
 * gpt-4o rates ($2.50 / $10 per million), the served data's input at $3.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addSettingFlags,
  parseSecretFlags,
} from '../../src/cli/setting-flags.js';
import { PRICE_DATA_SETTINGS } from '../../src/config/price-data-settings.js';
import { createPricer } from '../../src/core/price/pricer.js';
import { SwappablePricer } from '../../src/core/price/swappable-pricer.js';
import type { PriceDataRefresher } from '../../src/price-data/price-data-refresher.js';
import { startPriceDataRefresh } from '../../src/price-data/start-price-data-refresh.js';
import { changedPriceData } from './helpers/price-data-server.js';
import { captureWarnings } from './helpers/warnings.js';

interface Seen {
  readonly url: string | undefined;
  readonly authorization: string | undefined;
}

let warnings: ReturnType<typeof captureWarnings>;
const closers: (() => Promise<void>)[] = [];
const refreshers: PriceDataRefresher[] = [];

beforeEach(() => {
  warnings = captureWarnings();
});

afterEach(async () => {
  for (const refresher of refreshers.splice(0)) refresher.shutdown();
  for (const close of closers.splice(0)) await close();
  warnings.stop();
});

/** A server on 127.0.0.1 that records each request and answers `answer`. */
async function serve(
  answer: (req: IncomingMessage) => {
    status: number;
    body?: string;
    location?: string;
  },
): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    const { status, body, location } = answer(req);
    res.writeHead(status, location === undefined ? {} : { location });
    res.end(body ?? '');
  });
  server.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `127.0.0.1:${port}`, seen };
}

function refresh(source: string): {
  pricer: SwappablePricer;
  refresher: PriceDataRefresher;
} {
  const pricer = new SwappablePricer(createPricer());
  const refresher = startPriceDataRefresh(
    {
      priceData: {
        source,
        refreshSeconds: 3600,
        timeoutSeconds: 5,
        cacheFile: undefined,
      },
      overrides: [],
    },
    pricer,
  ) as PriceDataRefresher;
  refreshers.push(refresher);
  return { pricer, refresher };
}

const GPT4O = {
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
};

describe('a URL with credentials and a token', () => {
  it('is fetched with the credentials as Basic authentication', async () => {
    const body = await changedPriceData();
    const { origin, seen } = await serve(() => ({ status: 200, body }));
    const { pricer, refresher } = refresh(
      `http://reader:s3cret@${origin}/data.json?token=t0ken`,
    );
    await refresher.refreshNow();
    const basic = Buffer.from('reader:s3cret').toString('base64');
    expect(seen.map(s => s.authorization)).toContain(`Basic ${basic}`);
    expect(seen[0]?.url).toBe('/data.json?token=t0ken');
    const cost = pricer.price(GPT4O);
    // Served data: $3 input + published $10 output.
    expect(cost.priced && cost.totalUsd).toBeCloseTo(13, 9);
    expect(warnings.messages).toEqual([]);
  });

  it('never lets a warning name the credentials or the token', async () => {
    const { origin } = await serve(req =>
      req.url?.startsWith('/elsewhere') === true
        ? { status: 500 }
        : req.url?.startsWith('/moved') === true
          ? { status: 302, location: 'file:///etc/passwd' }
          : { status: 200, body: '<html>not data</html>' },
    );
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/);
    await fc.assert(
      fc.asyncProperty(
        secret,
        secret,
        secret,
        fc.constantFrom(
          `${origin}/data.json`,
          `${origin}/elsewhere`,
          `${origin}/moved`,
          '127.0.0.1:1/data.json',
        ),
        async (user, password, token, where) => {
          warnings.messages.length = 0;
          const { refresher } = refresh(
            `http://${user}:${password}@${where}?token=${token}`,
          );
          await refresher.refreshNow();
          refresher.shutdown();
          expect(warnings.messages).toHaveLength(1);
          for (const message of warnings.messages) {
            expect(message).not.toContain(password);
            expect(message).not.toContain(token);
            expect(message).not.toContain(`${user}:`);
          }
        },
      ),
      { numRuns: 24 },
    );
  });

  it('does not send the credentials to another origin on a redirect', async () => {
    const body = await changedPriceData();
    const other = await serve(() => ({ status: 200, body }));
    const first = await serve(() => ({
      status: 302,
      location: `http://${other.origin}/data.json`,
    }));
    const { refresher } = refresh(
      `http://reader:s3cret@${first.origin}/data.json`,
    );
    await refresher.refreshNow();
    expect(first.seen[0]?.authorization).toMatch(/^Basic /);
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]?.authorization).toBeUndefined();
  });
});

describe('a bad --price-data-url flag', () => {
  it('is refused without repeating its value', () => {
    const errors: string[] = [];
    const command = new Command().exitOverride().configureOutput({
      writeErr: text => errors.push(text),
      writeOut: () => undefined,
    });
    addSettingFlags(command, PRICE_DATA_SETTINGS);
    let thrown: unknown;
    try {
      command.parse(
        ['--price-data-url', 'ftp://reader:s3cret@host/data.json'],
        {
          from: 'user',
        },
      );
      parseSecretFlags(command.opts(), PRICE_DATA_SETTINGS);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/--price-data-url/);
    expect((thrown as Error).message).not.toContain('s3cret');
    expect(errors.join('')).not.toContain('s3cret');
  });
});
