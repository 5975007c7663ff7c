import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calcPrice, findProvider, type Provider } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PriceDataError,
  readPriceData,
} from '../../src/cli/prices/read-price-data.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prices-command-'));
let server: Server;
let base = '';

/** The installed data for the corrected providers, with one change each. */
function changedData(): Provider[] {
  const ids = ['deepseek', 'aws', 'mistral', 'anthropic'];
  const providers = ids.map(
    id => structuredClone(findProvider({ providerId: id })) as Provider,
  );
  const [, aws, mistral, anthropic] = providers as [
    Provider,
    Provider,
    Provider,
    Provider,
  ];
  // Mistral publishes Large 3 at $0.50 / $1.50 (cache read $0.05): upstream catches up.
  mistral.models.unshift({
    id: 'mistral-large-latest',
    match: { equals: 'mistral-large-latest' },
    prices: { input_mtok: 0.5, cache_read_mtok: 0.05, output_mtok: 1.5 },
  });
  // Titan v2 at $0.05/M: neither the published $0.02 nor the old $0.10.
  aws.models.unshift({
    id: 'amazon.titan-embed-text-v2',
    match: { starts_with: 'amazon.titan-embed-text-v2' },
    prices: { input_mtok: 0.05 },
  });
  // An unrelated model repriced.
  const haiku = calcPrice({ input_tokens: 1 }, 'claude-3-haiku-20240307', {
    providerId: 'anthropic',
  })!.model.id;
  const model = anthropic.models.find(m => m.id === haiku)!;
  model.prices = { input_mtok: 9, output_mtok: 9 };
  return providers;
}

beforeAll(async () => {
  writeFileSync(join(dir, 'data.json'), JSON.stringify(changedData()));
  writeFileSync(join(dir, 'broken.json'), '[{"id": "x", "models": [');
  writeFileSync(join(dir, 'not-data.json'), '{"providers": []}');
  writeFileSync(
    join(dir, 'overrides.json'),
    JSON.stringify([
      {
        provider: 'deepseek',
        model: 'deepseek-chat',
        inputPerMTokUsd: 1,
        outputPerMTokUsd: 2,
      },
    ]),
  );
  server = createServer((request, response) => {
    if (request.url === '/data.json') {
      response.end(JSON.stringify(changedData()));
    } else if (request.url === '/hang') {
      // Never answers; the client's timeout must end it.
    } else if (request.url === '/huge') {
      response.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
      response.write('[');
    } else {
      response.statusCode = 404;
      response.end('not found');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  layer: string;
  origin: string;
  provider: string;
  model: string;
  prices: Record<string, unknown>;
}

describe('otel-genai-cost prices list', () => {
  it('lists every layer for deepseek-chat, override first, corrections dated and sourced', async () => {
    const result = await runCli([
      'prices',
      'list',
      '--provider',
      'deepseek',
      '--model',
      'deepseek-chat',
      '--json',
      '--price-overrides-file',
      join(dir, 'overrides.json'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Row[];
    expect(rows.map(r => r.layer)).toEqual([
      'override',
      'correction',
      'correction',
      'correction',
      'correction',
      'genai-prices',
    ]);
    expect(rows[0]!.prices).toMatchObject({
      inputPerMTokUsd: 1,
      outputPerMTokUsd: 2,
    });
    // DeepSeek V3.2 (published): $0.28 miss, $0.028 hit, $0.42 output from 2025-09-29.
    const v32 = rows.find(r => r.prices['effectiveFrom'] === '2025-09-29')!;
    expect(v32.prices).toMatchObject({
      inputPerMTokUsd: 0.28,
      cacheReadPerMTokUsd: 0.028,
      outputPerMTokUsd: 0.42,
    });
    expect(v32.origin).toMatch(
      /^https:\/\/api-docs\.deepseek\.com\/.* \(checked \d{4}-\d{2}-\d{2}\)$/,
    );
    expect(rows[5]!.origin).toMatch(/^genai-prices@\d/);
  });

  it('shows the long-context tier of Claude Sonnet 4 ($6 / $22.50 above 200K input)', async () => {
    const result = await runCli([
      'prices',
      'list',
      '--provider',
      'anthropic',
      '--model',
      'claude-sonnet-4-20250514',
      '--json',
    ]);
    const rows = JSON.parse(result.stdout) as Row[];
    expect(rows[0]!.layer).toBe('correction');
    expect(rows[0]!.prices['tiers']).toEqual([
      expect.objectContaining({
        aboveInputTokens: 200_000,
        inputPerMTokUsd: 6,
        outputPerMTokUsd: 22.5,
      }),
    ]);
  });

  it('lists a whole provider, and says when nothing prices a model (exit 1)', async () => {
    const all = await runCli([
      'prices',
      'list',
      '--provider',
      'deepseek',
      '--json',
    ]);
    expect(all.code).toBe(0);
    const layers = new Set((JSON.parse(all.stdout) as Row[]).map(r => r.layer));
    expect([...layers].sort()).toEqual(['correction', 'genai-prices']);
    const none = await runCli([
      'prices',
      'list',
      '--model',
      'no-such-model-xyz',
    ]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/no price in any layer/);
  });

  it('refuses a call without --provider or --model (exit 2)', async () => {
    const result = await runCli(['prices', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--provider, --model or both/);
  });
});

describe('otel-genai-cost prices diff', () => {
  const expectVerdicts = (stdout: string) => {
    const diff = JSON.parse(stdout) as {
      corrections: { provider: string; models: string[]; status: string }[];
      models: { provider: string; model: string; change: string }[];
    };
    const status = (model: string) =>
      diff.corrections.find(c => c.models.includes(model))!.status;
    expect(status('mistral-large-latest')).toBe('redundant');
    expect(status('amazon.titan-embed-text-v2:0')).toBe('conflicting');
    expect(status('deepseek-chat')).toBe('needed');
    expect(status('claude-sonnet-4-20250514')).toBe('needed');
    expect(diff.models).toEqual(
      expect.arrayContaining([
        { provider: 'mistral', model: 'mistral-large-latest', change: 'added' },
        {
          provider: 'anthropic',
          model: expect.stringContaining('haiku') as unknown,
          change: 'changed',
        },
      ]),
    );
    expect(diff.models).toHaveLength(3);
  };

  it('reports redundant, conflicting and still-needed corrections and changed models (file)', async () => {
    const result = await runCli([
      'prices',
      'diff',
      '--against',
      join(dir, 'data.json'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    expectVerdicts(result.stdout);
  });

  it('reads the same from a URL', async () => {
    const result = await runCli([
      'prices',
      'diff',
      '--against',
      `${base}/data.json`,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expectVerdicts(result.stdout);
    const text = await runCli([
      'prices',
      'diff',
      '--against',
      `${base}/data.json`,
    ]);
    expect(text.stdout).toMatch(/mistral_ai mistral-large-latest: redundant/);
    expect(text.stdout).toMatch(
      /amazon\.titan-embed-text-v2:0, amazon\.titan-embed-text-v2: conflicting: re-check https:\/\/aws\.amazon\.com/,
    );
  });

  it.each([
    ['missing file', () => join(dir, 'missing.json'), /cannot read .*ENOENT/],
    ['broken JSON', () => join(dir, 'broken.json'), /is not JSON/],
    [
      'not genai-prices data',
      () => join(dir, 'not-data.json'),
      /not genai-prices data: expected a list/,
    ],
    ['HTTP 404', () => `${base}/nope`, /answered HTTP 404/],
    [
      'a server that never answers',
      () => `${base}/hang`,
      /did not answer within 300 ms/,
    ],
    ['a response above the size cap', () => `${base}/huge`, /larger than/],
    [
      'a closed port',
      () => 'http://127.0.0.1:1/data.json',
      /cannot read http:\/\/127\.0\.0\.1:1\/data\.json \(/,
    ],
  ])(
    '%s: a clear error and exit 1, no stack trace',
    async (_name, source, message) => {
      const result = await runCli([
        'prices',
        'diff',
        '--against',
        source(),
        '--timeout',
        '300',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
    },
  );

  it('bad usage exits 2', async () => {
    expect((await runCli(['prices', 'diff'])).code).toBe(2);
    expect(
      (await runCli(['prices', 'diff', '--against', 'x', '--timeout', '0']))
        .code,
    ).toBe(2);
  });

  it('any JSON is either accepted as data or refused with PriceDataError (generated)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async value => {
        const file = join(dir, 'generated.json');
        writeFileSync(file, JSON.stringify(value));
        try {
          const data = await readPriceData(file);
          expect(Array.isArray(data)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(PriceDataError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
