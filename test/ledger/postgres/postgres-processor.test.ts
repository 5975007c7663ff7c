import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAttribution } from '../../../src/index.js';
import { GPT_4O_MINI } from '../../helpers/prices.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { ledgerTracing } from '../ledger-fixture.js';
import { pgQuery } from './pg-fixture.js';

let server: PostgresServer | undefined;
beforeAll(async () => {
  server = await startPostgresServer();
}, 120_000);
afterAll(() => server?.remove());

const START = Date.UTC(2026, 10, 30, 12, 0, 0);
const CALLS = [
  { user: 'u-1', tenant: 't-a', input: 1200, output: 340 },
  { user: 'u-2', tenant: 't-a', input: 17, output: 3 },
  { user: 'u-3', tenant: 't-b', input: 98_765, output: 4_321 },
  { user: 'u-1', tenant: 't-a', input: 1, output: 1 },
];

/** The same spans (ids and start times) each run, as a redelivery would give. */
async function runCalls(url: string): Promise<void> {
  const tracing = ledgerTracing({ ledger: url });
  CALLS.forEach((c, i) => {
    withAttribution({ userId: c.user, tenantId: c.tenant }, () => {
      const span = tracing.tracer.startSpan('chat gpt-4o-mini', {
        startTime: START + i * 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': c.input,
          'gen_ai.usage.output_tokens': c.output,
        },
      });
      span.end(START + i * 1000 + 500);
    });
  });
  await tracing.shutdown();
}

describe.runIf(postgresBinary() !== undefined)(
  'CostSpanProcessor with ledger: postgres://',
  () => {
    it('counts the same spans once across a restart; per-tenant totals from the published rates to the nano-dollar', async () => {
      const url = (server as PostgresServer).createDatabase('processor');
      await runCalls(url);
      await runCalls(url);
      const rows = await pgQuery(
        url,
        'SELECT tenant_id, count(*)::int AS calls, sum(total_nusd) AS nusd FROM llm_calls GROUP BY 1 ORDER BY 1',
      );
      // gpt-4o-mini: $0.15 / $0.60 per million tokens = 150 / 600 n$ a token.
      const nusd = (tenant: string): string =>
        String(
          CALLS.filter(c => c.tenant === tenant).reduce(
            (sum, c) =>
              sum +
              Math.round(c.input * GPT_4O_MINI.input * 1000) +
              Math.round(c.output * (GPT_4O_MINI.output as number) * 1000),
            0,
          ),
        );
      expect(rows).toEqual([
        { tenant_id: 't-a', calls: 3, nusd: nusd('t-a') },
        { tenant_id: 't-b', calls: 1, nusd: nusd('t-b') },
      ]);
      expect(nusd('t-b')).toBe(String(98_765 * 150 + 4_321 * 600));
    }, 30_000);
  },
);
