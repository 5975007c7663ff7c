/**
 * gateway --budgets <file>: a BudgetGuard in the gateway's sinks, fed only
 * the calls the next hop accepted, its alerts delivered to a signed
 * webhook (observed on a local receiver: the alert's spend shows what was
 * counted). A bad file stops the gateway at start naming --budgets, the
 * file and the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/cost-gateway.js';
import { GatewayConfigError } from '../../../src/gateway/gateway-config-error.js';
import { expectUsd } from '../../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../../helpers/prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../../gateway/helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../../gateway/helpers/otlp-json.js';
import { rawRequest } from '../../gateway/helpers/raw-http.js';
import { until } from './alert-fixtures.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhook-receiver.js';

const SECRET = 'gateway-webhook-secret';
let dir: string | undefined;
let fixture: GatewayFixture | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await receiver?.close();
  receiver = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function budgetsFile(text: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'gateway-budgets-'));
  const path = join(dir, 'budgets.yaml');
  writeFileSync(path, text);
  return path;
}

describe('gateway --budgets', () => {
  it('counts a call only once the next hop accepted it; the alert carries exactly that spend', async () => {
    receiver = await startWebhookReceiver(SECRET);
    const path = budgetsFile(
      [
        'store: memory',
        'alertAt: [0.3, 1]',
        'webhook:',
        `  url: ${receiver.url}`,
        '  secret: ${BUDGET_SECRET}',
        '  initialBackoffMillis: 5',
        '  maxBackoffMillis: 20',
        'budgets:',
        // 2.5 calls: 0.3 crosses with the first call counted, 1 only with a third.
        '  - { scope: user, limitUsd: 0.00525, window: day }',
        '',
      ].join('\n'),
    );
    fixture = await startGatewayFixture({
      budgets: path,
      metrics: { host: '127.0.0.1', port: 0 },
      env: { BUDGET_SECRET: SECRET },
    });
    // 10,000 input and 1,000 output tokens of gpt-4o-mini: $0.0021 at
    // OpenAI's $0.15/M input and $0.60/M output.
    const perCall = expectedCost(GPT_4O_MINI, {
      uncachedInput: 10_000,
      output: 1_000,
    }).total;
    const request = (spanId: string) =>
      otlpJson([
        {
          traceId: 'b7'.repeat(16),
          spanId: spanId.repeat(8),
          name: 'chat gpt-4o-mini',
          startMillis: 0,
          endMillis: 500,
          attributes: { ...chatAttributes(10_000, 1_000), 'user.id': 'u-gw' },
        },
      ]);
    const send = (spanId: string) =>
      rawRequest(fixture!.gateway.url, {
        headers: JSON_HEADERS,
        body: request(spanId),
      });
    // Call A: the next hop refuses it, so it is not counted.
    fixture.sink.setMode({ kind: 'status', status: 503 });
    expect((await send('a1')).status).toBe(503);
    fixture.sink.setMode({ kind: 'status', status: 200 });
    // The gateway refuses for a while after a 503 (next hop unhealthy):
    // the sender retries call B until it is accepted.
    let status = 0;
    for (let attempt = 0; status !== 200 && attempt < 100; attempt += 1) {
      status = (await send('b2')).status;
      if (status !== 200)
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect((await send('b2')).status).toBe(200); // B delivered again: counted once
    expect((await send('c3')).status).toBe(200); // call C
    await until(() => receiver!.processed.length >= 1, 'the alert');
    // The alert counter is served on the gateway's /metrics, without the user.
    const served = await (await fetch(fixture.gateway.metricsUrl!)).text();
    expect(served).toMatch(
      /gen_ai_client_cost_budget_alerts_total\{scope="user",threshold="0\.3",window="day"[^}]*\} 1\b/,
    );
    expect(served).not.toContain('u-gw');
    await fixture.close(); // flushes the guard and its alert delivery
    fixture = undefined;
    // Counted: B and C ($0.0042 of $0.00525): 30% crossed once, with B; 100%
    // never (it would with A or B's redelivery counted).
    expect(receiver.requests.every(r => r.signed)).toBe(true);
    const events = receiver.requests.map(
      r =>
        JSON.parse(r.body) as {
          subjectId: string;
          threshold: number;
          spentUsd: number;
        },
    );
    expect(events.map(e => [e.subjectId, e.threshold])).toEqual([
      ['u-gw', 0.3],
    ]);
    expectUsd(events[0]?.spentUsd, perCall);
  });

  it('a bad budgets file stops the gateway at start, naming --budgets, the file and the line', async () => {
    const path = budgetsFile(
      'budgets:\n  - scope: user\n    limitUsd: 5\n    window: fortnight\n',
    );
    const start = startGateway({
      listen: { host: '127.0.0.1', port: 0 },
      forward: new URL('http://127.0.0.1:9/v1/traces'),
      budgets: path,
      env: {},
    });
    await expect(start).rejects.toThrow(GatewayConfigError);
    await expect(start).rejects.toThrow(
      new RegExp(
        `^--budgets: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: budgets\\.0\\.window: `,
      ),
    );
  });

  it('reads the file from OTEL_GENAI_COST_GATEWAY_BUDGETS too', async () => {
    const path = budgetsFile(
      'budgets: [{ scope: tenant, limitUsd: 0 , window: day }]\n',
    );
    await expect(
      startGateway({
        listen: { host: '127.0.0.1', port: 0 },
        forward: new URL('http://127.0.0.1:9/v1/traces'),
        env: { OTEL_GENAI_COST_GATEWAY_BUDGETS: path },
      }),
    ).rejects.toThrow(/^--budgets: .*budgets\.yaml:1: budgets\.0\.limitUsd: /);
  });
});
