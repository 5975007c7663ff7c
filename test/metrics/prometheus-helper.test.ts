import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import {
  createPrometheusHandler,
  startPrometheusServer,
  type PrometheusMetrics,
} from '../../src/metrics/prometheus.js';
import { call, identity, pricedMicro, record, usage } from './records.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function feed(target: PrometheusMetrics): void {
  const costMetrics = new CostMetrics({
    meterProvider: target.meterProvider,
    tenants: ['acme'],
    plans: ['pro'],
    env: {},
  });
  const who = identity({ userId: 'u-1', tenantId: 'acme', plan: 'pro' });
  costMetrics.record(
    record(
      call('openai', 'gpt-4o-mini', usage(1000, 300, { cacheReadTokens: 200 })),
      pricedMicro(420),
      who,
    ),
  );
  costMetrics.record(
    record(
      call('openai', 'mystery', usage(10, 1)),
      { priced: false, reason: 'unknown_model' },
      who,
    ),
  );
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const LABELS =
  'gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",plan="pro",tenant="acme"';

describe('Prometheus helper', () => {
  it('serves the cost metrics under their documented Prometheus names', async () => {
    const server = await startPrometheusServer({
      host: '127.0.0.1',
      port: 0,
      withoutTargetInfo: true,
      env: {},
    });
    cleanups.push(() => server.shutdown());
    feed(server);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);

    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    const text = await response.text();
    // The unit is a comment, never a name suffix; counters get `_total`.
    expect(text).toContain('# TYPE gen_ai_client_cost_total counter');
    expect(text).toContain('# UNIT gen_ai_client_cost_total USD');
    expect(text).toContain(
      `gen_ai_client_cost_total{${LABELS},otel_scope_name="otel-genai-cost"} 0.00042`,
    );
    expect(text).toContain(
      `gen_ai_client_cost_tokens_total{${LABELS},gen_ai_token_type="cache_read",otel_scope_name="otel-genai-cost"} 200`,
    );
    expect(text).toContain('# TYPE gen_ai_client_cost_calls_total counter');
    expect(text).toMatch(
      /gen_ai_client_cost_unpriced_calls_total\{[^}]*gen_ai_response_model="unpriced"[^}]*gen_ai_cost_unpriced_reason="unknown_model"[^}]*\} 1/,
    );
    expect(text).not.toContain('USD_total');
    expect(text).not.toContain('target_info');
    expect(text).not.toContain('u-1');
  });

  it('answers 404 off the endpoint and 405 to other methods', async () => {
    const server = await startPrometheusServer({
      host: '127.0.0.1',
      port: 0,
      endpoint: 'scrape',
      env: {},
    });
    cleanups.push(() => server.shutdown());
    expect(server.url.endsWith('/scrape')).toBe(true);
    const notFound = await fetch(server.url.replace('/scrape', '/metrics'));
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toContain('/scrape');
    const post = await fetch(server.url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${server.url}?x=1`)).status).toBe(200);
  });

  it('reads host and port from OTEL_EXPORTER_PROMETHEUS_HOST/PORT', async () => {
    const free = createNetServer();
    await new Promise<void>(resolve => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise<void>(resolve => free.close(() => resolve()));
    const server = await startPrometheusServer({
      env: {
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      },
    });
    cleanups.push(() => server.shutdown());
    expect(server.url).toBe(`http://127.0.0.1:${port}/metrics`);
    expect((await fetch(server.url)).status).toBe(200);
  });

  it('rejects when the port is taken, and shuts down what it built', async () => {
    const first = await startPrometheusServer({
      host: '127.0.0.1',
      port: 0,
      env: {},
    });
    cleanups.push(() => first.shutdown());
    await expect(
      startPrometheusServer({ host: '127.0.0.1', port: first.port, env: {} }),
    ).rejects.toThrow(/EADDRINUSE/);
  });

  it('mounts on a node:http server', async () => {
    const handler = createPrometheusHandler({ withoutTargetInfo: true });
    cleanups.push(() => handler.shutdown());
    feed(handler);
    const base = await listen(
      createServer((req, res) => {
        if (req.url === '/metrics') return handler(req, res);
        res.end('app');
      }),
    );
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain(
      `gen_ai_client_cost_total{${LABELS},otel_scope_name="otel-genai-cost"} 0.00042`,
    );
    expect(await (await fetch(`${base}/`)).text()).toBe('app');
  });

  it('mounts on an Express app', async () => {
    const handler = createPrometheusHandler({ prefix: 'myapp' });
    cleanups.push(() => handler.shutdown());
    feed(handler);
    const app = express();
    app.get('/metrics', handler);
    const base = await listen(createServer(app));
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    const text = await response.text();
    expect(text).toContain('myapp_gen_ai_client_cost_total{');
    expect(text).toContain('target_info{');
  });
});
