import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway/cost-gateway.js';
import { GATEWAY_SETTINGS } from '../../src/gateway/gateway-settings.js';
import {
  startOtlpReceiver as startOtlpSink,
  type OtlpReceiver as OtlpSink,
} from '../helpers/otlp-receiver.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../gateway/helpers/otlp-json.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import { referenceDecode } from '../gateway/helpers/reference-decoder.js';
import { runCli, startCli } from './run-cli.js';

let sink: OtlpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('otel-genai-cost gateway', () => {
  it('documents every flag and its environment variable in --help', async () => {
    const result = await runCli(['gateway', '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const setting of GATEWAY_SETTINGS) {
      expect(help).toContain(`${setting.flag} <${setting.valueName}>`);
      expect(help).toContain(`(env: ${setting.env})`);
    }
  });

  it('lists in --help every environment variable the gateway reads', async () => {
    const read = new Set<string>();
    const recording = (target: Record<string, string | undefined>) =>
      new Proxy(target, {
        get(object, name) {
          if (typeof name === 'string' && /^OTEL_/.test(name)) read.add(name);
          return Reflect.get(object, name) as unknown;
        },
      });
    const original = process.env;
    process.env = recording({ ...original });
    try {
      sink = await startOtlpSink();
      const gateway = await startGateway({
        listen: { host: '127.0.0.1', port: 0 },
        metrics: { host: '127.0.0.1', port: 0 },
        env: recording({ OTEL_GENAI_COST_GATEWAY_FORWARD: sink.url }),
      });
      await gateway.shutdown();
    } finally {
      process.env = original;
    }
    read.add('OTEL_LOG_LEVEL'); // read by the command itself
    // Read by the Prometheus exporter library for a server of its own,
    // which the gateway never starts (preventServerStart): no effect.
    read.delete('OTEL_EXPORTER_PROMETHEUS_HOST');
    read.delete('OTEL_EXPORTER_PROMETHEUS_PORT');
    // The settings table and the label policy were read, at least.
    expect(read).toContain('OTEL_GENAI_COST_GATEWAY_BODY_TIMEOUT_SECONDS');
    expect(read).toContain('OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS');
    const result = await runCli(['gateway', '--help']);
    const missing = [...read].filter(name => !result.stdout.includes(name));
    expect(missing).toEqual([]);
  });

  it.each([
    [
      [
        '--forward',
        'http://x/v1/traces',
        '--forward-timeout-seconds',
        '3000000',
      ],
      {},
      "option '--forward-timeout-seconds <seconds>' argument '3000000' is invalid. expected whole seconds from 1 to 2147483",
    ],
    [
      ['--forward', 'http://x/v1/traces'],
      { OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: 'x-a=b%0d%0ainjected: 1' },
      'header "x-a": the value contains a character HTTP does not allow',
    ],
    [
      ['--forward', 'http://x/v1/traces', '--max-body-bytes', 'huge'],
      {},
      "option '--max-body-bytes <bytes>' argument 'huge' is invalid",
    ],
    [['--forward', 'ftp://x'], {}, 'expected an http(s) URL, got "ftp://x"'],
    [
      ['--forward', 'http://x/v1/traces', '--listen', 'localhost'],
      {},
      'expected host:port',
    ],
    [
      ['--forward', 'http://x/v1/traces', '--no-such-flag'],
      {},
      "unknown option '--no-such-flag'",
    ],
    [
      [],
      {},
      'missing the next hop: set --forward <url> or OTEL_GENAI_COST_GATEWAY_FORWARD',
    ],
    [
      ['--forward', 'http://x/v1/traces'],
      { OTEL_GENAI_COST_GATEWAY_MAX_TRACES: 'many' },
      'OTEL_GENAI_COST_GATEWAY_MAX_TRACES: expected a positive integer, got "many"',
    ],
  ])(
    'refuses %j %j with a message and a non-zero exit',
    async (args, env, message) => {
      const result = await runCli(['gateway', ...args], env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(message);
    },
  );

  it('runs from environment variables, prices and forwards, and stops cleanly on SIGTERM', async () => {
    sink = await startOtlpSink();
    const child = startCli(['gateway'], {
      OTEL_GENAI_COST_GATEWAY_LISTEN: '127.0.0.1:0',
      OTEL_GENAI_COST_GATEWAY_FORWARD: sink.url,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    while (!/receiving on (\S+)/.test(stdout)) {
      if (child.exitCode !== null) throw new Error(`gateway exited: ${stdout}`);
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    const url = /receiving on (\S+)/.exec(stdout)?.[1] as string;
    const body = otlpJson([
      {
        traceId: '12'.repeat(16),
        spanId: '34'.repeat(8),
        name: 'chat gpt-4o-mini',
        startMillis: 0,
        endMillis: 100,
        attributes: chatAttributes(1000, 200),
      },
    ]);
    const response = await rawRequest(url, { headers: JSON_HEADERS, body });
    expect(response.status).toBe(200);
    const [span] = referenceDecode(sink.accepted[0]?.body ?? Buffer.alloc(0));
    expect(span?.attributes['gen_ai.cost.source']).toEqual({
      s: 'price_table',
    });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(stdout).toContain('otel-genai-cost gateway: stopped');
  });
});
