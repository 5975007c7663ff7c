/**
 * The "done when" of issue 9 against the built CLI under a 1 GiB heap:
 * `node --max-old-space-size=1024 dist/esm/cli/main.js gateway ...` keeps
 * serving honest senders while 100 slow clients hold connections, cuts the
 * slow ones off after --body-timeout-seconds, and stops cleanly.
 * Needs `npm run build`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  rssMiB,
  startGatewayProcess,
  waitFor,
  type GatewayProcess,
} from '../helpers/gateway-process.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../helpers/otlp-json.js';
import {
  startOtlpReceiver as startOtlpSink,
  type OtlpReceiver as OtlpSink,
} from '../../helpers/otlp-receiver.js';
import { rawRequest } from '../helpers/raw-http.js';
import {
  openSlowClient,
  type SlowClient,
  type SlowKind,
} from './admission-slow-clients.js';

let sink: OtlpSink | undefined;
let gateway: GatewayProcess | undefined;
let slow: SlowClient[] = [];
afterEach(async () => {
  for (const client of slow) client.destroy();
  slow = [];
  await gateway?.kill();
  gateway = undefined;
  await sink?.close();
  sink = undefined;
});

function honestBody(id: number): Buffer {
  return otlpJson([
    {
      traceId: id.toString(16).padStart(32, '0'),
      spanId: id.toString(16).padStart(16, '0'),
      name: 'chat gpt-4o-mini',
      startMillis: 0,
      endMillis: 100,
      attributes: chatAttributes(1000, 200),
    },
  ]);
}

describe('the gateway process under a 1 GiB heap', () => {
  it('serves honest clients while 100 slow clients hold connections', async () => {
    sink = await startOtlpSink();
    const started = await startGatewayProcess(sink.url, [
      '--body-timeout-seconds',
      '2',
    ]);
    gateway = started;
    const { url, port, pid } = started;
    const idleRss = rssMiB(pid);

    const kinds: SlowKind[] = [];
    for (let index = 0; index < 25; index += 1) {
      kinds.push('headers', 'body-byte', 'trickle', 'no-read');
    }
    for (const kind of kinds) {
      slow.push(
        await openSlowClient(port, kind, honestBody(5000 + slow.length)),
      );
    }
    const healthz = async (): Promise<{ queue: { reading: number } }> =>
      JSON.parse(
        (
          await rawRequest(url.replace('/v1/traces', '/healthz'), {
            method: 'GET',
          })
        ).body.toString(),
      ) as { queue: { reading: number } };
    let reading = 0;
    for (let attempt = 0; attempt < 100 && reading !== 50; attempt += 1) {
      reading = (await healthz()).queue.reading;
      if (reading !== 50) await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(reading).toBe(50);
    const ready = await rawRequest(url.replace('/v1/traces', '/readyz'), {
      method: 'GET',
    });
    expect(ready.status).toBe(200);

    const statuses: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          rawRequest(url, {
            headers: JSON_HEADERS,
            body: honestBody(1 + round * 20 + index),
          }),
        ),
      );
      statuses.push(...answers.map(answer => answer.status));
    }
    expect(statuses).toEqual(Array<number>(60).fill(200));
    const busyRss = rssMiB(pid);

    expect(
      await waitFor(
        () =>
          slow.every(client => client.kind === 'no-read' || client.closed()),
        8000,
      ),
    ).toBe(true);
    for (const client of slow) {
      if (client.kind !== 'no-read')
        expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect(sink.accepted).toHaveLength(60 + 25);
    // Far below the 1 GiB heap: slow connections cost kilobytes each.
    expect(busyRss).toBeLessThan(512);
    process.stdout.write(
      `gateway process RSS: ${idleRss.toFixed(1)} MiB idle, ${busyRss.toFixed(1)} MiB with 100 slow clients and 60 honest requests\n`,
    );

    expect(await started.stop('SIGTERM')).toBe(0);
  });
});
