import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GatewayConfigError,
  parseByteSize,
  parseHeaders,
  parseHostPort,
} from '../../src/gateway/gateway-option-parsers.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../../src/gateway/gateway-settings.js';

const FORWARD = {
  OTEL_GENAI_COST_GATEWAY_FORWARD: 'http://collector:4320/v1/traces',
};

describe('resolveGatewayOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveGatewayOptions({ env: FORWARD });
    expect(resolved).toMatchObject({
      listen: { host: '127.0.0.1', port: 4318 },
      forwardCompression: 'gzip',
      forwardTimeoutSeconds: 10,
      metrics: undefined,
      authToken: undefined,
      maxBodyBytes: 16 * 1024 ** 2,
      maxDecompressedBytes: 64 * 1024 ** 2,
      maxQueueRequests: 64,
      maxQueueBytes: 64 * 1024 ** 2,
      traceWindowSeconds: 300,
      maxTraces: 50_000,
      maxLlmSpans: 250_000,
      retryAfterSeconds: 5,
      shutdownTimeoutSeconds: 30,
      bodyTimeoutSeconds: 10,
      maxReadingRequests: 1024,
      maxConnections: 4096,
      overrides: [],
    });
    expect(resolved.forward.href).toBe('http://collector:4320/v1/traces');
  });

  it('reads every setting from its OTEL_GENAI_COST_GATEWAY_ variable, options first', () => {
    const resolved = resolveGatewayOptions({
      maxTraces: 7,
      env: {
        ...FORWARD,
        OTEL_GENAI_COST_GATEWAY_LISTEN: '0.0.0.0:14318',
        OTEL_GENAI_COST_GATEWAY_METRICS: ':9464',
        OTEL_GENAI_COST_GATEWAY_AUTH_TOKEN: 'tok',
        OTEL_GENAI_COST_GATEWAY_MAX_BODY_BYTES: '2MiB',
        OTEL_GENAI_COST_GATEWAY_MAX_TRACES: '99',
        OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS:
          'Authorization=Bearer%20abc,x-team=ml',
      },
    });
    expect(resolved.listen).toEqual({ host: '0.0.0.0', port: 14318 });
    expect(resolved.metrics).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(resolved.authToken).toBe('tok');
    expect(resolved.maxBodyBytes).toBe(2 * 1024 ** 2);
    expect(resolved.maxTraces).toBe(7);
    expect(resolved.forwardHeaders).toEqual({
      authorization: 'Bearer abc',
      'x-team': 'ml',
    });
  });

  it('names the variable of a bad value, and refuses to start without a next hop', () => {
    expect(() =>
      resolveGatewayOptions({
        env: { ...FORWARD, OTEL_GENAI_COST_GATEWAY_MAX_TRACES: 'many' },
      }),
    ).toThrow(
      new GatewayConfigError(
        'OTEL_GENAI_COST_GATEWAY_MAX_TRACES: expected a positive integer, got "many"',
      ),
    );
    expect(() => resolveGatewayOptions({ env: {} })).toThrow(
      /missing the next hop: set --forward <url>/,
    );
    expect(() =>
      resolveGatewayOptions({
        env: { ...FORWARD, OTEL_GENAI_COST_GATEWAY_MAX_QUEUE_BYTES: '1MiB' },
      }),
    ).toThrow(
      '--max-queue-bytes (1048576) must be at least --max-decompressed-bytes (67108864)',
    );
  });

  it('loads price overrides from --prices, else OTEL_GENAI_COST_PRICES_FILE', () => {
    const file = join(tmpdir(), `gateway-prices-${process.pid}.yaml`);
    writeFileSync(
      file,
      'prices:\n  - model: house-model\n    inputPerMTokUsd: 1\n    outputPerMTokUsd: 2\n',
    );
    expect(
      resolveGatewayOptions({
        env: { ...FORWARD, OTEL_GENAI_COST_PRICES_FILE: file },
      }).overrides,
    ).toEqual([
      { model: 'house-model', inputPerMTokUsd: 1, outputPerMTokUsd: 2 },
    ]);
    expect(
      resolveGatewayOptions({ prices: file, env: FORWARD }).overrides,
    ).toHaveLength(1);
  });

  it('has one environment variable per flag: prefixed for the gateway alone, shared names for shared settings', () => {
    for (const setting of GATEWAY_SETTINGS) {
      const name = setting.flag.slice(2).replaceAll('-', '_').toUpperCase();
      expect(setting.env).toBe(
        setting.shells.length === 1
          ? `OTEL_GENAI_COST_GATEWAY_${name}`
          : `OTEL_GENAI_COST_${name}`,
      );
      if (setting.defaultText !== undefined)
        expect(() =>
          setting.parse(setting.defaultText as string),
        ).not.toThrow();
    }
  });
});

describe('setting parsers', () => {
  it.each([
    ['127.0.0.1:4318', { host: '127.0.0.1', port: 4318 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    [':4318', { host: '0.0.0.0', port: 4318 }],
  ])('host:port %s', (raw, expected) => {
    expect(parseHostPort(raw)).toEqual(expected);
  });

  it.each(['4318', 'localhost', 'host:99999', ''])(
    'rejects host:port %j',
    raw => {
      expect(() => parseHostPort(raw)).toThrow(GatewayConfigError);
    },
  );

  it('byte sizes with units', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('16MiB')).toBe(16 * 1024 ** 2);
    expect(parseByteSize('1.5 KiB')).toBe(1536);
    expect(() => parseByteSize('16 parsecs')).toThrow(
      'expected a byte size such as 16777216 or 16MiB, got "16 parsecs"',
    );
    expect(() => parseByteSize('0')).toThrow(GatewayConfigError);
  });

  it('headers', () => {
    expect(() => parseHeaders('novalue')).toThrow(/expected key=value pairs/);
  });
});
