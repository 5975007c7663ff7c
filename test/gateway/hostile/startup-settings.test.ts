/**
 * Issue 9, case 4 and 6g: every gateway setting that can be checked is
 * checked when the gateway starts, whichever way it came (environment,
 * flag, `startGateway` option), and the message names the setting.
 */
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/gateway/cost-gateway.js';
import {
  GatewayConfigError,
  parseHeaders,
} from '../../../src/gateway/gateway-option-parsers.js';
import {
  resolveGatewayOptions,
  type GatewayOptions,
} from '../../../src/gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../../../src/gateway/gateway-settings.js';
import { startGatewayFixture } from '../helpers/gateway-fixture.js';
import { JSON_HEADERS, otlpJson } from '../helpers/otlp-json.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';

const FORWARD = 'http://127.0.0.1:4320/v1/traces';
const ENV = { OTEL_GENAI_COST_GATEWAY_FORWARD: FORWARD };
const TIMER_MAX_SECONDS = 2147483; // floor((2^31 - 1) ms / 1000)

function refusal(run: () => unknown): GatewayConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return error as GatewayConfigError;
  }
  throw new Error('expected the settings to be refused');
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

describe('case 4: a forward header Node would refuse is refused at start', () => {
  it('refuses OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS with a CR LF, naming the variable, without echoing the value', () => {
    const error = refusal(() =>
      resolveGatewayOptions({
        env: {
          ...ENV,
          OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: 'x-a=b%0d%0ainjected: 1',
        },
      }),
    );
    expect(error.message).toBe(
      'OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: header "x-a": the value contains a character HTTP does not allow (U+000D at position 1)',
    );
    expect(error.message).not.toContain('injected');
  });

  it('startGateway rejects and listens on nothing', async () => {
    const port = 43000 + (process.pid % 1000);
    await expect(
      startGateway({
        listen: { host: '127.0.0.1', port },
        env: {
          ...ENV,
          OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: 'x-a=b%0d%0ainjected: 1',
        },
      }),
    ).rejects.toThrow(GatewayConfigError);
    expect(await portIsClosed(port)).toBe(true);
  });

  it('checks headers given in code too (they used to bypass the parsers)', () => {
    const withHeaders = (forwardHeaders: Record<string, string>): Error =>
      refusal(() =>
        resolveGatewayOptions({ env: ENV, forwardHeaders } as GatewayOptions),
      );
    expect(withHeaders({ 'x-a': 'b\r\ninjected: 1' }).message).toBe(
      'forwardHeaders (--forward-headers): header "x-a": the value contains a character HTTP does not allow (U+000D at position 1)',
    );
    expect(withHeaders({ 'bad name': 'x' }).message).toContain(
      'header name "bad name" is not a valid HTTP token',
    );
    expect(withHeaders({ 'x-a': 'snow\u2603man' }).message).toContain(
      'U+2603 at position 4',
    );
    expect(withHeaders({ 'Content-Length': '5' }).message).toContain(
      'header "content-length" is set by the gateway',
    );
    expect(withHeaders({ 'X-A': '1', 'x-a': '2' }).message).toContain(
      'header "x-a" is given twice',
    );
    expect(
      resolveGatewayOptions({
        env: ENV,
        forwardHeaders: {
          Authorization: 'Bearer abc',
          'x-latin1': 'caf\u00e9',
        },
      }).forwardHeaders,
    ).toEqual({ authorization: 'Bearer abc', 'x-latin1': 'caf\u00e9' });
  });

  it('refuses malformed URL encoding and pairs without a key, never echoing a value', () => {
    expect(() => parseHeaders('authorization=Bearer%zzsecret')).toThrow(
      'header "authorization": the value is not valid URL encoding',
    );
    const error = refusal(() => parseHeaders('x-a=1,supersecret'));
    expect(error.message).toBe(
      'expected key=value pairs separated by commas; pair 2 has no key=',
    );
  });
});

describe('case 6g: seconds within the range of Node timers', () => {
  const secondsSettings = GATEWAY_SETTINGS.filter(
    setting => setting.valueName === 'seconds',
  );

  it('covers every *-seconds setting, the new body timeout included', () => {
    expect(secondsSettings.map(setting => setting.flag).sort()).toEqual([
      '--body-timeout-seconds',
      '--forward-timeout-seconds',
      '--price-data-refresh-seconds',
      '--price-data-timeout-seconds',
      '--retry-after-seconds',
      '--shutdown-timeout-seconds',
      '--trace-window-seconds',
    ]);
  });

  // The price data settings have narrower ranges of their own (refresh at
  // least 60 s, timeout at most 600 s; test/price-data): beyond timers too.
  const priceData = secondsSettings.filter(setting =>
    setting.flag.startsWith('--price-data-'),
  );
  it.each(priceData.map(setting => [setting.flag, setting] as const))(
    '%s: 3000000 is refused from the environment and from code',
    (_flag, setting) => {
      expect(() =>
        resolveGatewayOptions({ env: { ...ENV, [setting.env]: '3000000' } }),
      ).toThrow(GatewayConfigError);
      expect(() =>
        resolveGatewayOptions({ env: ENV, [setting.key]: 3_000_000 }),
      ).toThrow(GatewayConfigError);
    },
  );

  it.each(
    secondsSettings
      .filter(setting => !priceData.includes(setting))
      .map(setting => [setting.flag, setting] as const),
  )(
    '%s: 3000000 is refused from the environment and from code, the largest timer is accepted',
    (_flag, setting) => {
      const fromEnv = refusal(() =>
        resolveGatewayOptions({ env: { ...ENV, [setting.env]: '3000000' } }),
      );
      expect(fromEnv.message).toBe(
        `${setting.env}: expected whole seconds from 1 to ${TIMER_MAX_SECONDS}, got 3000000`,
      );
      const fromCode = refusal(() =>
        resolveGatewayOptions({ env: ENV, [setting.key]: 3_000_000 }),
      );
      expect(fromCode.message).toBe(
        `${setting.key} (${setting.flag}): expected whole seconds from 1 to ${TIMER_MAX_SECONDS}, got 3000000`,
      );
      const resolved: Record<string, unknown> = {
        ...resolveGatewayOptions({
          env: { ...ENV, [setting.env]: String(TIMER_MAX_SECONDS) },
        }),
      };
      expect(resolved[setting.key]).toBe(TIMER_MAX_SECONDS);
      for (const bad of ['0', '-1', '1.5', '1e3', '0x10', ' ']) {
        if (bad.trim() === '') continue;
        expect(() =>
          resolveGatewayOptions({ env: { ...ENV, [setting.env]: bad } }),
        ).toThrow(GatewayConfigError);
      }
    },
  );

  it('the forward timeout reaches the next-hop client whole (10 s default, not 1 ms)', () => {
    expect(resolveGatewayOptions({ env: ENV }).forwardTimeoutSeconds).toBe(10);
  });
});

describe('every setting given in code goes through the same checks', () => {
  it.each<[Partial<GatewayOptions>, string]>([
    [
      { forwardTimeoutSeconds: 0.5 },
      'forwardTimeoutSeconds (--forward-timeout-seconds): expected whole seconds',
    ],
    [
      { bodyTimeoutSeconds: Number.NaN },
      'bodyTimeoutSeconds (--body-timeout-seconds): expected whole seconds',
    ],
    [
      { maxBodyBytes: -1 },
      'maxBodyBytes (--max-body-bytes): expected a byte size from 1 to 4294967296, got -1',
    ],
    [
      { maxDecompressedBytes: 2 ** 33 },
      'maxDecompressedBytes (--max-decompressed-bytes): expected a byte size',
    ],
    [
      { maxQueueRequests: 1.5 },
      'maxQueueRequests (--max-queue-requests): expected a positive integer, got 1.5',
    ],
    [
      { maxTraces: Infinity },
      'maxTraces (--max-traces): expected a positive integer',
    ],
    [
      { maxReadingRequests: 0 },
      'maxReadingRequests (--max-reading-requests): expected a positive integer, got 0',
    ],
    [
      { maxConnections: -5 },
      'maxConnections (--max-connections): expected a positive integer',
    ],
    [
      { maxSpansPerRequest: 0 },
      'maxSpansPerRequest (--max-spans-per-request): expected a positive integer',
    ],
    [
      { maxItemsPerRequest: 2 ** 60 },
      'maxItemsPerRequest (--max-items-per-request): expected a positive integer',
    ],
    [
      { maxLlmSpans: 9_999 },
      'maxLlmSpans (--max-llm-spans): expected a count from 10000 to',
    ],
    [
      { maxValueDepth: 100_000 },
      'maxValueDepth (--max-value-depth): expected a depth from 1 to 256, got 100000',
    ],
    [
      { listen: { host: 'not a host', port: 4318 } },
      'listen (--listen): expected an IP address or a host name, got "not a host"',
    ],
    [
      { listen: { host: '127.0.0.1', port: 70_000 } },
      'listen (--listen): expected a port from 0 to 65535, got 70000',
    ],
    [
      { metrics: { host: '127.0.0.1', port: -1 } },
      'metrics (--metrics): expected a port from 0 to 65535',
    ],
    [
      { forward: new URL('ftp://collector/v1/traces') },
      'forward (--forward): expected an http(s) URL, got "ftp://collector/v1/traces"',
    ],
    [
      { forwardCompression: 'brotli' as 'gzip' },
      'forwardCompression (--forward-compression): expected gzip or none, got "brotli"',
    ],
    [
      { authToken: '  ' },
      'authToken (--auth-token): expected a non-empty value',
    ],
  ])('refuses %j', (options, message) => {
    expect(
      refusal(() => resolveGatewayOptions({ env: ENV, ...options })).message,
    ).toContain(message);
  });

  it.each([
    [
      'OTEL_GENAI_COST_GATEWAY_MAX_BODY_BYTES',
      '5GiB',
      'expected a byte size from 1 to 4294967296, got 5368709120',
    ],
    [
      'OTEL_GENAI_COST_GATEWAY_MAX_VALUE_DEPTH',
      '257',
      'expected a depth from 1 to 256, got 257',
    ],
    [
      'OTEL_GENAI_COST_GATEWAY_LISTEN',
      'exa mple:4318',
      'expected an IP address or a host name, got "exa mple"',
    ],
    [
      'OTEL_GENAI_COST_GATEWAY_MAX_SPANS_PER_REQUEST',
      '0x10',
      'expected a positive integer, got "0x10"',
    ],
    [
      'OTEL_GENAI_COST_GATEWAY_FORWARD',
      'http://',
      'expected an http(s) URL, got "http://"',
    ],
  ])('refuses %s=%j naming it', (name, raw, message) => {
    expect(
      refusal(() => resolveGatewayOptions({ env: { ...ENV, [name]: raw } }))
        .message,
    ).toBe(`${name}: ${message}`);
  });

  it('refuses a next hop that is the gateway itself, and metrics on the listen port', () => {
    expect(
      refusal(() =>
        resolveGatewayOptions({
          env: {
            OTEL_GENAI_COST_GATEWAY_LISTEN: '0.0.0.0:4318',
            OTEL_GENAI_COST_GATEWAY_FORWARD: 'http://localhost:4318/v1/traces',
          },
        }),
      ).message,
    ).toContain("is the gateway's own --listen address (0.0.0.0:4318)");
    expect(
      refusal(() =>
        resolveGatewayOptions({
          env: { ...ENV, OTEL_GENAI_COST_GATEWAY_METRICS: '127.0.0.1:4318' },
        }),
      ).message,
    ).toContain('need different ports');
    // Another port of the same host, or port 0 (a free one), is fine.
    expect(() =>
      resolveGatewayOptions({
        listen: { host: '127.0.0.1', port: 0 },
        env: ENV,
      }),
    ).not.toThrow();
  });

  it('passes the decode-limit settings through (defaults from DEFAULT_DECODE_LIMITS)', async () => {
    const { DEFAULT_DECODE_LIMITS } =
      await import('../../../src/gateway/otlp/decode-limits.js');
    expect(resolveGatewayOptions({ env: ENV })).toMatchObject(
      DEFAULT_DECODE_LIMITS,
    );
    expect(
      resolveGatewayOptions({
        env: {
          ...ENV,
          OTEL_GENAI_COST_GATEWAY_MAX_SPANS_PER_REQUEST: '10',
          OTEL_GENAI_COST_GATEWAY_MAX_ITEMS_PER_REQUEST: '20',
          OTEL_GENAI_COST_GATEWAY_MAX_VALUE_DEPTH: '3',
        },
      }),
    ).toMatchObject({
      maxSpansPerRequest: 10,
      maxItemsPerRequest: 20,
      maxValueDepth: 3,
    });
  });
});

describe('the decode-limit settings reach the traces endpoint', () => {
  const twoSpans = (): Buffer =>
    otlpJson(
      [1, 2].map(id => ({
        traceId: 'ab'.repeat(16),
        spanId: String(id).padStart(16, '0'),
        name: 'work',
        startMillis: 0,
        endMillis: 1,
        attributes: {},
      })),
    );

  it.each<[string, Partial<GatewayOptions>]>([
    ['an option', { maxSpansPerRequest: 1 }],
    [
      'the environment',
      { env: { OTEL_GENAI_COST_GATEWAY_MAX_SPANS_PER_REQUEST: '1' } },
    ],
  ])(
    '--max-spans-per-request 1 from %s refuses two spans with 413',
    async (_from, options) => {
      const fixture = await startGatewayFixture(options);
      try {
        const answer = await rawRequest(fixture.gateway.url, {
          headers: JSON_HEADERS,
          body: twoSpans(),
        });
        expect(answer.status).toBe(413);
        expect(rpcStatusOf(answer).message).toContain(
          '--max-spans-per-request',
        );
        expect(fixture.sink.received).toHaveLength(0);
      } finally {
        await fixture.close();
      }
    },
  );

  it('the defaults let the same request through', async () => {
    const fixture = await startGatewayFixture();
    try {
      const answer = await rawRequest(fixture.gateway.url, {
        headers: JSON_HEADERS,
        body: twoSpans(),
      });
      expect(answer.status).toBe(200);
    } finally {
      await fixture.close();
    }
  });
});
