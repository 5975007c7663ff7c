/**
 * `--listen-grpc` is a settings row like the others: a flag or
 * `OTEL_GENAI_COST_GATEWAY_LISTEN_GRPC`, off by default, checked at start
 * (a bad address or a port shared with --listen, --metrics or --forward
 * stops the gateway naming it); the CLI prints where it receives gRPC and
 * SIGTERM closes it.
 */
import { status } from '@grpc/grpc-js';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../../../src/gateway/gateway-option-parsers.js';
import { resolveGatewayOptions } from '../../../src/gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../../../src/gateway/gateway-settings.js';
import { runCli, startCli } from '../../cli/run-cli.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import { GrpcTestClient, protobufOf } from './grpc-test-client.js';

const FORWARD = 'http://127.0.0.1:4320/v1/traces';

let sink: OtlpReceiver | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('the --listen-grpc setting', () => {
  it('is a row of the settings table, off by default, with its variable', () => {
    const row = GATEWAY_SETTINGS.find(setting => setting.key === 'listenGrpc');
    expect(row).toMatchObject({
      flag: '--listen-grpc',
      env: 'OTEL_GENAI_COST_GATEWAY_LISTEN_GRPC',
      valueName: 'host:port',
    });
    expect(row?.defaultValue).toBeUndefined();
    expect(
      resolveGatewayOptions({
        env: { OTEL_GENAI_COST_GATEWAY_FORWARD: FORWARD },
      }).listenGrpc,
    ).toBeUndefined();
    expect(
      resolveGatewayOptions({
        env: {
          OTEL_GENAI_COST_GATEWAY_FORWARD: FORWARD,
          OTEL_GENAI_COST_GATEWAY_LISTEN_GRPC: '0.0.0.0:4317',
        },
      }).listenGrpc,
    ).toEqual({ host: '0.0.0.0', port: 4317 });
  });

  it('refuses a port shared with --listen, --metrics or the next hop', () => {
    const env = { OTEL_GENAI_COST_GATEWAY_FORWARD: FORWARD };
    expect(
      refusal(() =>
        resolveGatewayOptions({
          env,
          listen: { host: '0.0.0.0', port: 4318 },
          listenGrpc: { host: '127.0.0.1', port: 4318 },
        }),
      ),
    ).toBe(
      '--listen-grpc 127.0.0.1:4318 and --listen 0.0.0.0:4318 need different ports',
    );
    expect(
      refusal(() =>
        resolveGatewayOptions({
          env,
          metrics: { host: '127.0.0.1', port: 9464 },
          listenGrpc: { host: '0.0.0.0', port: 9464 },
        }),
      ),
    ).toBe(
      '--listen-grpc 0.0.0.0:9464 and --metrics 127.0.0.1:9464 need different ports',
    );
    expect(
      refusal(() =>
        resolveGatewayOptions({
          env,
          listenGrpc: { host: '0.0.0.0', port: 4320 },
        }),
      ),
    ).toMatch(
      /^--forward http:\/\/127\.0\.0\.1:4320\/v1\/traces is the gateway's own --listen-grpc address/,
    );
  });

  it('a bad address stops the CLI with status 2, naming the flag', async () => {
    const result = await runCli([
      'gateway',
      '--forward',
      FORWARD,
      '--listen-grpc',
      'nowhere',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--listen-grpc');
  });

  it('the CLI receives OTLP/gRPC on the address it prints, and SIGTERM stops it', async () => {
    sink = await startOtlpReceiver();
    const child = startCli(
      ['gateway', '--listen', '127.0.0.1:0', '--forward', sink.url],
      { OTEL_GENAI_COST_GATEWAY_LISTEN_GRPC: '127.0.0.1:0' },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!/receiving OTLP\/gRPC on (\S+)/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`no gRPC address printed: ${output}`);
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    const address = /receiving OTLP\/gRPC on (\S+)/.exec(output)?.[1] as string;
    const client = new GrpcTestClient(address);
    const answer = await client.export(
      protobufOf(
        otlpJson([
          {
            traceId: '5a'.repeat(16),
            spanId: '5b'.repeat(8),
            name: 'chat gpt-4o-mini',
            scope: 'opentelemetry.instrumentation.openai_v2',
            startMillis: 0,
            endMillis: 10,
            attributes: chatAttributes(1000, 200),
          },
        ]),
      ),
    );
    client.close();
    expect(answer.code, answer.details).toBe(status.OK);
    expect(sink.accepted).toHaveLength(1);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('otel-genai-cost gateway: stopped');
  });
});
