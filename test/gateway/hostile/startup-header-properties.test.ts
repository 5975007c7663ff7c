/**
 * Case 4, generated: whatever `--forward-headers` text is given, the
 * gateway either refuses it at start (a `GatewayConfigError`, nothing
 * else) or every header it accepted is one Node sends, and the next hop
 * receives it as configured. No accepted setting can make a forward fail.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextHopClient } from '../../../src/gateway/forward/next-hop-client.js';
import {
  GatewayConfigError,
  parseHeaders,
} from '../../../src/gateway/gateway-option-parsers.js';
import { resolveGatewayOptions } from '../../../src/gateway/gateway-options.js';
import {
  startOtlpReceiver as startOtlpSink,
  type OtlpReceiver as OtlpSink,
} from '../../helpers/otlp-receiver.js';

const FORWARD = 'http://127.0.0.1:4320/v1/traces';

/** Header names: valid tokens, and names with characters tokens forbid. */
const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  fc.constantFrom('authorization', 'x-scope-orgid', 'Content-Length', 'te'),
  fc.string({ minLength: 1, maxLength: 8 }),
);

/** Values: printable text, CR/LF injections, control and non-latin1 characters. */
const valueArb = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc
    .tuple(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('\r\n', '\n', '\r', '\0', '\x7f', '\u0100', '\t', ' '),
      fc.string({ maxLength: 6 }),
    )
    .map(parts => parts.join('')),
);

/** `k=v` text as an operator would write it: values URL-encoded, or raw, or with stray `%`. */
const pairArb = fc
  .tuple(nameArb, valueArb, fc.constantFrom('encoded', 'raw', 'stray-percent'))
  .map(([name, value, style]) => {
    const text =
      style === 'encoded'
        ? encodeURIComponent(value)
        : style === 'raw'
          ? value.replace(/[,=]/g, '')
          : `${value.replace(/[,=]/g, '')}%z`;
    return `${name.replace(/[,=]/g, '')}=${text}`;
  });
const headersTextArb = fc
  .array(pairArb, { minLength: 1, maxLength: 4 })
  .map(pairs => pairs.join(','));

/** Whether Node's client accepts these headers when building a request. */
function nodeSends(headers: Record<string, string>): boolean {
  try {
    const client = request('http://127.0.0.1:9/', { headers, agent: false });
    client.on('error', () => undefined);
    client.destroy();
    return true;
  } catch {
    return false;
  }
}

describe('generated forward headers', () => {
  it('are refused at start with a GatewayConfigError, or accepted only when Node sends them', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(headersTextArb, text => {
        let headers: Record<string, string>;
        try {
          headers = parseHeaders(text);
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayConfigError);
          refused += 1;
          return;
        }
        accepted += 1;
        expect(nodeSends(headers)).toBe(true);
        // The same text through the environment resolves the same way.
        expect(
          resolveGatewayOptions({
            env: {
              OTEL_GENAI_COST_GATEWAY_FORWARD: FORWARD,
              OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: text,
            },
          }).forwardHeaders,
        ).toEqual(headers);
      }),
      { numRuns: 2000 },
    );
    // Both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('every value Node refuses is refused at start, given in code too', () => {
    fc.assert(
      fc.property(valueArb, value => {
        const nodeAccepts = nodeSends({ 'x-a': value });
        let started = true;
        try {
          resolveGatewayOptions({
            env: { OTEL_GENAI_COST_GATEWAY_FORWARD: FORWARD },
            forwardHeaders: { 'x-a': value },
          });
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayConfigError);
          started = false;
        }
        expect(started).toBe(nodeAccepts);
      }),
      { numRuns: 2000 },
    );
  });

  describe('accepted headers reach the next hop as configured', () => {
    let sink: OtlpSink;
    beforeAll(async () => {
      sink = await startOtlpSink();
    });
    afterAll(async () => {
      await sink.close();
    });

    it('for generated header sets (real requests to a local next hop)', async () => {
      await fc.assert(
        fc.asyncProperty(headersTextArb, async text => {
          let headers: Record<string, string>;
          try {
            headers = parseHeaders(text);
          } catch {
            return;
          }
          const client = new NextHopClient({
            url: new URL(sink.url),
            headers,
            compression: 'none',
            timeoutMillis: 5000,
            maxSockets: 1,
          });
          try {
            const before = sink.received.length;
            const outcome = await client.send(new Uint8Array(0));
            expect(outcome.kind).toBe('ok');
            const received = sink.received[before]?.headers ?? {};
            for (const [name, value] of Object.entries(headers)) {
              // The next hop reads header bytes as latin1, as Node sent them.
              expect(received[name]).toBe(value);
            }
          } finally {
            client.close();
          }
        }),
        { numRuns: 150 },
      );
    });
  });
});
