import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
  type JsonSpanSpec,
} from '../gateway/helpers/otlp-json.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import { runCli } from './run-cli.js';

let fixture: GatewayFixture | undefined;
let server: Server | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

function span(n: number, model: string): JsonSpanSpec {
  return {
    traceId: (n + 1).toString(16).padStart(32, '0'),
    spanId: (n + 1).toString(16).padStart(16, '0'),
    name: 'chat',
    startMillis: 0,
    endMillis: 10,
    attributes: { ...chatAttributes(1000, 200), 'gen_ai.request.model': model },
  };
}

async function gatewayWith(models: readonly string[]): Promise<string> {
  fixture = await startGatewayFixture();
  const response = await rawRequest(fixture.gateway.url, {
    headers: JSON_HEADERS,
    body: otlpJson(models.map((model, n) => span(n, model))),
  });
  expect(response.status).toBe(200);
  return new URL(fixture.gateway.url).origin;
}

async function fakeServer(
  handler: Parameters<typeof createServer>[1],
): Promise<string> {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('otel-genai-cost prices unknown', () => {
  it('prints the unpriced models of a running gateway with their reason and calls, and an override to add', async () => {
    const base = await gatewayWith([
      'acme-llm-1',
      'acme-llm-1',
      'gpt-4o-mini',
      'other-llm',
    ]);
    const result = await runCli(['prices', 'unknown', '--from', base]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('2\tunknown_model\topenai\tacme-llm-1');
    expect(lines).toContain('1\tunknown_model\topenai\tother-llm');
    expect(result.stdout).not.toContain('gpt-4o-mini');
    expect(result.stdout).toContain(
      '{"provider":"openai","model":"acme-llm-1","inputPerMTokUsd":0,"outputPerMTokUsd":0}',
    );
  });

  it('prints JSON with --json, and says so when nothing is unpriced', async () => {
    const base = await gatewayWith(['acme-llm-1']);
    const json = await runCli([
      'prices',
      'unknown',
      '--from',
      `${base}/`,
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      unpriced: [
        {
          reason: 'unknown_model',
          provider: 'openai',
          model: 'acme-llm-1',
          calls: 1,
        },
      ],
      overflowCalls: 0,
    });
    await fixture?.close();
    const empty = await gatewayWith(['gpt-4o-mini']);
    const none = await runCli(['prices', 'unknown', '--from', empty]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No unpriced calls');
  });

  it('never prints control characters from a model id', async () => {
    const base = await gatewayWith(['evil\u001b[2J\u0007model']);
    const result = await runCli(['prices', 'unknown', '--from', base]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('evil?[2J?model');
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('exits 1 with a clear message when the gateway is unreachable', async () => {
    const base = await fakeServer(() => undefined);
    server!.close();
    server = undefined;
    const result = await runCli(['prices', 'unknown', '--from', base]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot read ${base}/healthz: unreachable`);
  });

  it('exits 1 after --timeout-seconds when the server never answers', async () => {
    const base = await fakeServer(() => undefined);
    const result = await runCli([
      'prices',
      'unknown',
      '--from',
      base,
      '--timeout-seconds',
      '0.5',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no answer within 0.5 s');
  });

  it('exits 1 on an answer above the size cap, a non-200, or a body that is not a gateway status', async () => {
    const big = await fakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 6; i++) response.write(chunk);
      response.end('{}');
    });
    const tooBig = await runCli(['prices', 'unknown', '--from', big]);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toContain('answer larger than 4194304 bytes');
    server?.closeAllConnections();
    server?.close();

    const missing = await fakeServer((_request, response) => {
      response.writeHead(404).end('nope');
    });
    const notFound = await runCli(['prices', 'unknown', '--from', missing]);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toContain('HTTP 404, expected 200');
    server?.closeAllConnections();
    server?.close();

    const other = await fakeServer((_request, response) => {
      response.writeHead(200).end('{"status":"ok"}');
    });
    const notGateway = await runCli(['prices', 'unknown', '--from', other]);
    expect(notGateway.code).toBe(1);
    expect(notGateway.stderr).toContain('no "unpriced" list');
  });

  it('refuses a --from that is not an http URL', async () => {
    const result = await runCli([
      'prices',
      'unknown',
      '--from',
      'file:///etc/passwd',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('expected an http:// or https:// URL');
  });
});
