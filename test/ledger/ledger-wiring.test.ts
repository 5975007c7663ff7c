import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../../src/gateway/gateway-config-error.js';
import { startGateway } from '../../src/gateway/cost-gateway.js';
import { CostLedger, LedgerConfigError } from '../../src/index.js';
import { chatSpan } from '../helpers/chat-span.js';
import { GPT_4O_MINI } from '../helpers/prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../gateway/helpers/otlp-json.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import {
  ledgerTracing,
  readRows,
  tempLedgerDir,
  type TempDir,
} from './ledger-fixture.js';

let dir: TempDir | undefined;
let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  dir?.remove();
  dir = undefined;
  diag.disable();
});

function captureWarnings(): string[] {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: message => warnings.push(message),
    warn: message => warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return warnings;
}

describe('the ledger setting', () => {
  it('processor option ledger: sqlite:<path> adds a CostLedger (service from OTEL_SERVICE_NAME)', async () => {
    dir = tempLedgerDir();
    const tracing = ledgerTracing({
      ledger: `sqlite:${dir.db}`,
      env: { OTEL_SERVICE_NAME: 'billing-api' },
    });
    chatSpan(tracing.tracer, { input: 1000, output: 100 });
    await tracing.shutdown();
    expect(readRows(dir.db)).toEqual([
      expect.objectContaining({
        service: 'billing-api',
        total_nusd: Math.round(
          (1000 * GPT_4O_MINI.input + 100 * (GPT_4O_MINI.output as number)) *
            1000,
        ),
      }),
    ]);
  });

  it('reads OTEL_GENAI_COST_LEDGER', async () => {
    dir = tempLedgerDir();
    const tracing = ledgerTracing({
      env: { OTEL_GENAI_COST_LEDGER: `sqlite:${dir.db}` },
    });
    chatSpan(tracing.tracer);
    await tracing.shutdown();
    expect(readRows(dir.db)).toHaveLength(1);
  });

  it('refuses a postgres:// URL without a database by name, never silently, and never repeats the password', async () => {
    expect(() => new CostLedger({ url: 'postgres://app:s3cret@db' })).toThrow(
      LedgerConfigError,
    );
    expect(() => new CostLedger({ url: 'postgres://app:s3cret@db' })).toThrow(
      /postgres:\/\/ URL needs a database name/,
    );
    expect(() => new CostLedger({ url: 'mysql://x' })).toThrow(
      /unsupported scheme mysql:.*sqlite:<path>/,
    );
    expect(() => new CostLedger({ url: 'sqlite:' })).toThrow(
      /needs a file path/,
    );
    for (const bad of [
      { batchRows: 0 },
      { maxQueueRows: 1.5 },
      { flushIntervalSeconds: 0 },
      { maxRetrySeconds: 7200 },
    ]) {
      expect(
        () => new CostLedger({ url: 'sqlite:./never.db', ...bad }),
        JSON.stringify(bad),
      ).toThrow(LedgerConfigError);
    }
    const warnings = captureWarnings();
    const tracing = ledgerTracing({
      env: { OTEL_GENAI_COST_LEDGER: 'postgres://app:s3cret@db' },
    });
    await tracing.shutdown();
    const text = warnings.join('\n');
    expect(text).toMatch(/OTEL_GENAI_COST_LEDGER/);
    expect(text).toMatch(/needs a database name/);
    expect(text).not.toMatch(/s3cret/);
    await expect(
      startGateway({
        listen: { host: '127.0.0.1', port: 0 },
        forward: new URL('http://127.0.0.1:9/v1/traces'),
        ledger: 'postgres://app:s3cret@db',
        env: {},
      }),
    ).rejects.toThrow(GatewayConfigError);
  });

  it('gateway --ledger: a call is kept only once the next hop accepted its request', async () => {
    dir = tempLedgerDir();
    fixture = await startGatewayFixture({ ledger: `sqlite:${dir.db}` });
    const body = otlpJson([
      {
        traceId: 'e5'.repeat(16),
        spanId: 'f6'.repeat(8),
        name: 'chat gpt-4o-mini',
        startMillis: 0,
        endMillis: 500,
        attributes: chatAttributes(100, 10),
      },
    ]);
    fixture.sink.setMode({ kind: 'status', status: 503 });
    const refused = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body,
    });
    expect(refused.status).toBe(503);
    await fixture.close();
    fixture = undefined;
    expect(readRows(dir.db)).toHaveLength(0);
    fixture = await startGatewayFixture({ ledger: `sqlite:${dir.db}` });
    const accepted = await rawRequest(fixture.gateway.url, {
      headers: JSON_HEADERS,
      body,
    });
    expect(accepted.status).toBe(200);
    await fixture.close();
    fixture = undefined;
    expect(readRows(dir.db)).toHaveLength(1);
  });

  it('gateway --ledger: a request delivered again, also after a gateway restart, is one row', async () => {
    dir = tempLedgerDir();
    const body = otlpJson([
      {
        traceId: 'c3'.repeat(16),
        spanId: 'd4'.repeat(8),
        name: 'chat gpt-4o-mini',
        startMillis: 0,
        endMillis: 900,
        attributes: {
          ...chatAttributes(2000, 500),
          'user.id': 'u-9',
          'tenant.id': 't-z',
        },
      },
    ]);
    for (let run = 0; run < 2; run += 1) {
      fixture = await startGatewayFixture({ ledger: `sqlite:${dir.db}` });
      for (let i = 0; i < 2; i += 1) {
        const response = await rawRequest(fixture.gateway.url, {
          headers: JSON_HEADERS,
          body,
        });
        expect(response.status).toBe(200);
      }
      await fixture.close();
      fixture = undefined;
    }
    const rows = readRows(dir.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      trace_id: 'c3'.repeat(16),
      span_id: 'd4'.repeat(8),
      time_ms: Date.UTC(2026, 0, 1),
      user_id: 'u-9',
      total_nusd: Math.round(
        (2000 * GPT_4O_MINI.input + 500 * (GPT_4O_MINI.output as number)) *
          1000,
      ),
    });
  });
});
