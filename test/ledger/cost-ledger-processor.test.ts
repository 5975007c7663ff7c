import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withAttribution } from '../../src/index.js';
import { chatSpan } from '../helpers/chat-span.js';
import { GPT_4O_MINI } from '../helpers/prices.js';
import {
  ledgerTracing,
  readRows,
  sqliteLedger,
  tempLedgerDir,
  type TempDir,
} from './ledger-fixture.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

/** gpt-4o-mini at the published $0.15 / $0.60 per million tokens, in USD. */
const miniUsd = (input: number, output: number): number =>
  (input * GPT_4O_MINI.input + output * (GPT_4O_MINI.output as number)) / 1e6;

/** The same calls each run: three users, two tenants, one unknown model. */
async function runCalls(db: string): Promise<number[]> {
  const ledger = sqliteLedger(db, { service: 'checkout' });
  const tracing = ledgerTracing({ sinks: [ledger] });
  const calls = [
    { user: 'u-1', tenant: 't-a', input: 1200, output: 340 },
    { user: 'u-2', tenant: 't-a', input: 17, output: 3 },
    { user: 'u-3', tenant: 't-b', input: 98_765, output: 4_321 },
    { user: 'u-1', tenant: 't-a', input: 1, output: 1 },
  ];
  for (const c of calls) {
    withAttribution(
      { userId: c.user, tenantId: c.tenant, feature: 'chat' },
      () => chatSpan(tracing.tracer, { input: c.input, output: c.output }),
    );
  }
  withAttribution({ userId: 'u-2', tenantId: 't-b' }, () =>
    chatSpan(tracing.tracer, {
      model: 'no-such-model-xyz',
      input: 10,
      output: 5,
    }),
  );
  const costs = (await tracing.spans())
    .map(span => span.attributes['gen_ai.usage.cost'])
    .filter((cost): cost is number => typeof cost === 'number');
  await tracing.shutdown();
  expect(costs.map(cost => Math.round(cost * 1e6))).toEqual(
    calls.map(c => Math.round(miniUsd(c.input, c.output) * 1e6)),
  );
  return costs;
}

describe('CostLedger behind CostSpanProcessor (SQLite file)', () => {
  it('counts the same spans once across a restart, totals equal to the span costs to the micro-dollar', async () => {
    dir = tempLedgerDir();
    const first = await runCalls(dir.db);
    // A new processor and ledger (a restart) gets the same spans again.
    await runCalls(dir.db);
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(5);
    const priced = rows.filter(row => row.total_nusd !== null);
    const ledgerMicro =
      priced.reduce((sum, row) => sum + (row.total_nusd as number), 0) / 1000;
    const spanMicro = first.reduce((sum, cost) => sum + cost, 0) * 1e6;
    expect(Math.abs(ledgerMicro - spanMicro)).toBeLessThan(1);
    // Published rates: the parts of u-3's call.
    const big = rows.find(row => row.input_tokens === 98_765);
    expect(big).toMatchObject({
      user_id: 'u-3',
      tenant_id: 't-b',
      feature: 'chat',
      service: 'checkout',
      provider: 'openai',
      model: 'gpt-4o-mini',
      output_tokens: 4_321,
      input_nusd: Math.round(98_765 * GPT_4O_MINI.input * 1000),
      output_nusd: Math.round(4_321 * (GPT_4O_MINI.output as number) * 1000),
      source: 'price_table',
      unpriced_reason: null,
    });
    expect(big?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(big?.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes every identity field: the well-known ones in columns, the other allowed tags as sorted JSON', async () => {
    dir = tempLedgerDir();
    const ledger = sqliteLedger(dir.db);
    const tracing = ledgerTracing({
      sinks: [ledger],
      tagKeys: ['team', 'region'],
    });
    withAttribution(
      {
        userId: 'user-42',
        sessionId: 's-1',
        tenantId: 'acme',
        plan: 'pro',
        feature: 'search',
        team: 'blue',
        region: 'eu',
        notAllowed: 'x',
      },
      () => chatSpan(tracing.tracer, { input: 1000, output: 100 }),
    );
    await tracing.shutdown();
    expect(readRows(dir.db)).toEqual([
      expect.objectContaining({
        user_id: 'user-42',
        session_id: 's-1',
        tenant_id: 'acme',
        plan: 'pro',
        feature: 'search',
        tags: '{"region":"eu","team":"blue"}',
        input_tokens: 1000,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        input_nusd: 150_000,
        output_nusd: 60_000,
        cache_read_nusd: 0,
        cache_write_nusd: 0,
        total_nusd: 210_000,
        price_version: expect.stringMatching(/^genai-prices@/),
      }),
    ]);
  });

  it('keeps an unpriced call as a row with its reason and no cost', async () => {
    dir = tempLedgerDir();
    await runCalls(dir.db);
    const unpriced = readRows(dir.db).filter(row => row.total_nusd === null);
    expect(unpriced).toEqual([
      expect.objectContaining({
        model: 'no-such-model-xyz',
        unpriced_reason: 'unknown_model',
        input_tokens: 10,
        output_tokens: 5,
        input_nusd: null,
        output_nusd: null,
        source: null,
        price_version: null,
        user_id: 'u-2',
      }),
    ]);
  });

  it('never writes a raw e-mail user id to the file: redacted by default, a pseudonym with a secret', async () => {
    dir = tempLedgerDir();
    const email = 'jane.doe@example.com';
    for (const hmacSecret of [undefined, 'ledger-test-secret']) {
      const ledger = sqliteLedger(dir.db);
      const tracing = ledgerTracing(
        { sinks: [ledger], hmacSecret },
        hmacSecret === undefined ? 1 : 2,
      );
      withAttribution({ userId: email, tenantId: 't-a' }, () =>
        chatSpan(tracing.tracer),
      );
      tracing.tracer
        .startSpan('chat gpt-4o-mini', {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.response.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 5,
            'gen_ai.usage.output_tokens': 5,
            'user.id': email,
            'session.id': `session-of-${email}`,
          },
        })
        .end();
      await tracing.shutdown();
    }
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(4);
    expect(rows.map(row => row.user_id).sort()).toEqual([
      expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      'redacted-email',
      'redacted-email',
    ]);
    // Every byte on disk: the database, its WAL, the spill file if any.
    for (const name of readdirSync(dir.dir)) {
      const bytes = readFileSync(join(dir.dir, name));
      expect(bytes.includes(Buffer.from('jane.doe')), name).toBe(false);
      expect(bytes.includes(Buffer.from('example.com')), name).toBe(false);
    }
  });
});
