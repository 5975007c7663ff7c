/**
 * `otel-genai-cost ledger prune|forget`, the built CLI (dist/esm/cli/main.js,
 * `npm run build` first) on a SQLite file and on PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAttribution } from '../../../src/index.js';
import { CostLedger } from '../../../src/ledger/cost-ledger.js';
import {
  postgresBinary,
  startPostgresServer,
  type PostgresServer,
} from '../../helpers/postgres-server.js';
import { ledgerTracing, readRows } from '../ledger-fixture.js';
import { keyedRecord } from '../ledger-records.js';
import { pgQuery, rowAt } from './pg-fixture.js';
import { openPostgresLedgerStore } from '../../../src/ledger/postgres/postgres-ledger-store.js';

const MAIN = join(import.meta.dirname, '../../../dist/esm/cli/main.js');
const DAY = 86_400_000;

function cli(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MAIN, 'ledger', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeout: 60_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Calls through the processor, user ids pseudonymized with `secret`. */
async function pseudonymizedCalls(url: string, secret: string): Promise<void> {
  const tracing = ledgerTracing({ ledger: url, hmacSecret: secret });
  const users = ['alice@example.com', 'bob', 'alice@example.com', 'carol'];
  users.forEach((userId, i) => {
    withAttribution({ userId, tenantId: 't-1' }, () => {
      const span = tracing.tracer.startSpan('chat gpt-4o-mini', {
        startTime: Date.now() - i * 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 10,
        },
      });
      span.end();
    });
  });
  await tracing.shutdown();
}

describe('otel-genai-cost ledger (SQLite)', () => {
  it('forget with the pipeline secret deletes exactly that user by raw id; prune removes old rows', async () => {
    const db = join(dir, 'cli.db');
    const url = `sqlite:${db}`;
    await pseudonymizedCalls(url, 's3cret');
    const before = readRows(db).map(row => row.user_id);
    expect(before.filter(id => id?.startsWith('hmac:'))).toHaveLength(4);
    const forgot = cli(
      [
        'forget',
        '--ledger',
        url,
        '--user',
        'alice@example.com',
        '--format',
        'json',
      ],
      { OTEL_GENAI_COST_HMAC_SECRET: 's3cret' },
    );
    expect(forgot.stderr).toBe('');
    expect(JSON.parse(forgot.stdout)).toEqual({ deleted: 2, billingEvents: 0 });
    expect(readRows(db)).toHaveLength(2);
    // Without the secret, the raw id 'bob' matches no row (his is a pseudonym).
    expect(
      JSON.parse(
        cli(['forget', '--ledger', url, '--user', 'bob', '--format', 'json'])
          .stdout,
      ),
    ).toEqual({ deleted: 0, billingEvents: 0 });
    // Old rows (keyedRecord's calls are in 2025), kept 30 days.
    const ledger = new CostLedger({ url });
    for (let n = 0; n < 7; n += 1) ledger.record(keyedRecord(n));
    await ledger.shutdown();
    const pruned = cli([
      'prune',
      '--ledger',
      url,
      '--retain-days',
      '30',
      '--format',
      'json',
    ]);
    expect(JSON.parse(pruned.stdout)).toMatchObject({
      droppedPartitions: [],
      deletedRows: 7,
    });
    expect(readRows(db)).toHaveLength(2);
  }, 60_000);

  it('refuses bad input by name, exit 2; a missing file is an error, never a new ledger', () => {
    const days = cli([
      'prune',
      '--ledger',
      'sqlite:x.db',
      '--retain-days',
      '0',
    ]);
    expect(days.status).toBe(2);
    expect(days.stderr).toMatch(/--retain-days/);
    const secret = cli([
      'forget',
      '--ledger',
      'postgres://app:pw-s3cret@db',
      '--user',
      'u',
    ]);
    expect(secret.status).toBe(2);
    expect(secret.stderr).toMatch(/needs a database name/);
    expect(secret.stderr).not.toMatch(/pw-s3cret/);
    const missing = cli([
      'forget',
      '--ledger',
      `sqlite:${join(dir, 'none.db')}`,
      '--user',
      'u',
    ]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

let server: PostgresServer | undefined;
describe.runIf(postgresBinary() !== undefined)(
  'otel-genai-cost ledger (PostgreSQL)',
  () => {
    beforeAll(async () => {
      server = await startPostgresServer();
    }, 120_000);
    afterAll(() => server?.remove());

    it('prune drops day partitions older than --retain-days and prints them; forget by pseudonym', async () => {
      const url = (server as PostgresServer).createDatabase('cli');
      await pseudonymizedCalls(url, 'k');
      const now = Date.now();
      const store = await openPostgresLedgerStore(url, 'test');
      await store.insert([
        rowAt(1, now - 10 * DAY),
        rowAt(2, now - 10 * DAY + 1),
        rowAt(3, now - 40 * DAY),
      ]);
      await store.close();
      const pruned = cli([
        'prune',
        '--ledger',
        url,
        '--retain-days',
        '5',
        '--format',
        'json',
      ]);
      expect(pruned.stderr).toBe('');
      const result = JSON.parse(pruned.stdout) as {
        droppedPartitions: string[];
        deletedRows: number;
      };
      expect(result.deletedRows).toBe(3);
      expect(result.droppedPartitions).toHaveLength(2);
      const table = cli(['prune', '--ledger', url, '--retain-days', '5']);
      expect(table.stdout).toMatch(/^removed 0 row\(s\) before \d{4}-/);
      const forgot = cli(
        [
          'forget',
          '--ledger',
          url,
          '--user',
          'alice@example.com',
          '--format',
          'json',
        ],
        { OTEL_GENAI_COST_HMAC_SECRET: 'k' },
      );
      expect(JSON.parse(forgot.stdout)).toEqual({
        deleted: 2,
        billingEvents: 0,
      });
      const left = await pgQuery(
        url,
        'SELECT count(*)::int AS n FROM llm_calls',
      );
      expect(left).toEqual([{ n: 2 }]);
    }, 60_000);
  },
);
