/**
 * Issue 9, case 1 at full size against the built CLI under a 1 GiB heap:
 * the reported 64 KB gzip body (63 MiB of empty `ResourceSpans` and one
 * span) used to run the gateway out of heap; now it answers 413 at once,
 * the process stays small, and honest senders are served right after.
 * Needs `npm run build`.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  peakRssMiB,
  startGatewayProcess,
  type GatewayProcess,
} from '../helpers/gateway-process.js';
import { emptyResourceSpans } from '../helpers/hostile-bodies.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import {
  startOtlpReceiver as startOtlpSink,
  type OtlpReceiver as OtlpSink,
} from '../../helpers/otlp-receiver.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';

let sink: OtlpSink | undefined;
let gateway: GatewayProcess | undefined;
afterEach(async () => {
  await gateway?.kill();
  gateway = undefined;
  await sink?.close();
  sink = undefined;
});

describe('issue 9, case 1, full size, under --max-old-space-size=1024', () => {
  it('the 64 KB request of 33 million empty ResourceSpans answers 413 and the gateway keeps serving', async () => {
    // Exactly the reported body: 63 MiB of 0x0a 0x00, then one span.
    const body = gzipSync(emptyResourceSpans(63 << 20), { level: 9 });
    expect(body.length).toBeLessThan(70_000);
    sink = await startOtlpSink();
    const started = await startGatewayProcess(sink.url);
    gateway = started;
    const url = started.url;

    for (let round = 0; round < 3; round++) {
      const response = await rawRequest(url, {
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
        },
        body,
      });
      expect(response.status).toBe(413);
      expect(rpcStatusOf(response).message).toContain(
        '(--max-items-per-request)',
      );
    }
    expect(started.alive()).toBe(true);
    expect(sink.received).toHaveLength(0);
    // The report saw 2.1 GB for a 16 MiB body; the walk allocates nothing
    // per message, so the process stays near the body's own size.
    expect(peakRssMiB(started.pid)).toBeLessThan(512);

    const healthz = await rawRequest(url.replace('/v1/traces', '/healthz'), {
      method: 'GET',
    });
    expect(healthz.status).toBe(200);
    const honest = await rawRequest(url, {
      headers: { 'content-type': 'application/json' },
      body: otlpJson([
        {
          traceId: 'ab'.repeat(16),
          spanId: 'cd'.repeat(8),
          name: 'chat gpt-4o-mini',
          startMillis: 0,
          endMillis: 10,
          attributes: chatAttributes(1000, 200),
        },
      ]),
    });
    expect(honest.status).toBe(200);
    expect(sink.accepted).toHaveLength(1);
  }, 60_000);
});
