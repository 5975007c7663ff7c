/**
 * Review of issue 10, finding 1: a bad price override (file or code) is
 * refused while the options resolve, naming the setting, before the
 * metrics server or the receiver listens: nothing is left running.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/cost-gateway.js';
import { GatewayConfigError } from '../../../src/gateway/gateway-config-error.js';
import {
  resolveGatewayOptions,
  type GatewayOptions,
} from '../../../src/gateway/gateway-options.js';
import type { PriceOverride } from '../../../src/core/price/price-override.js';

const FORWARD = {
  OTEL_GENAI_COST_GATEWAY_FORWARD: 'http://127.0.0.1:9/v1/traces',
};
const dir = mkdtempSync(join(tmpdir(), 'gateway-price-overrides-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD_FILE = join(dir, 'bad-prices.json');
writeFileSync(
  BAD_FILE,
  JSON.stringify([{ model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 1 }]),
);
const GPT_4O: PriceOverride = {
  model: 'gpt-4o',
  inputPerMTokUsd: 2.5,
  outputPerMTokUsd: 10,
};
const SAME_FILE = join(dir, 'gpt-4o.json');
writeFileSync(SAME_FILE, JSON.stringify([GPT_4O]));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

function refusal(options: GatewayOptions): GatewayConfigError {
  try {
    resolveGatewayOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return error as GatewayConfigError;
  }
  throw new Error('expected the overrides to be refused');
}

describe('finding 1: bad price overrides stop the gateway before anything listens', () => {
  it.each<[string, GatewayOptions]>([
    ['a bad entry in the file', { priceOverridesFile: BAD_FILE }],
    [
      'a bad entry in code',
      {
        overrides: [{ model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 1 }],
      },
    ],
  ])(
    'startGateway rejects %s; neither /metrics nor the receiver keeps listening',
    async (_label, options) => {
      const metricsPort = await freePort();
      const listenPort = await freePort();
      await expect(
        startGateway({
          ...options,
          listen: { host: '127.0.0.1', port: listenPort },
          metrics: { host: '127.0.0.1', port: metricsPort },
          env: FORWARD,
        }),
      ).rejects.toThrow(GatewayConfigError);
      expect(await portIsClosed(metricsPort)).toBe(true);
      expect(await portIsClosed(listenPort)).toBe(true);
    },
  );

  it('names the setting, the file and the entry', () => {
    expect(
      refusal({ priceOverridesFile: BAD_FILE, env: FORWARD }).message,
    ).toMatch(
      new RegExp(
        `^priceOverridesFile \\(--price-overrides-file\\): ${BAD_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: price override #1 \\(x\\)`,
      ),
    );
    expect(
      refusal({
        env: { ...FORWARD, OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: BAD_FILE },
      }).message,
    ).toContain(`${BAD_FILE}: price override #1 (x)`);
    expect(
      refusal({
        overrides: [{ model: '' } as unknown as PriceOverride],
        env: FORWARD,
      }).message,
    ).toBe('overrides: price override #1: "model" must be a non-empty string');
  });

  it('refuses code and file entries that clash (same model, same date)', () => {
    expect(
      refusal({
        overrides: [GPT_4O],
        priceOverridesFile: SAME_FILE,
        env: FORWARD,
      }).message,
    ).toMatch(
      /^overrides with priceOverridesFile .*price override #2 \(gpt-4o\)/,
    );
  });

  it('accepts good overrides from code and file', () => {
    const other: PriceOverride = { ...GPT_4O, model: 'gpt-4o-mini' };
    expect(
      resolveGatewayOptions({
        overrides: [other],
        priceOverridesFile: SAME_FILE,
        env: FORWARD,
      }).overrides,
    ).toEqual([other, GPT_4O]);
  });
});
