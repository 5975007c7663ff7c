/**
 * Issue 9, "done when", all at once against the built CLI under a 1 GiB
 * heap: 100 slow clients hold connections (kept at 100 as the gateway cuts
 * them off), attackers keep the queue full of the worst requests within the
 * decode limits (the shapes of `hostile-bodies.ts`, protobuf and OTLP/JSON),
 * and honest OTLP senders (protobuf and JSON, small uncompressed requests)
 * keep exporting. Every honest
 * request gets 200, or 503 and then 200 on retry; every honest span reaches
 * the next hop exactly once, priced at gpt-4o-mini's published rates; the
 * process never dies and its peak resident memory stays under 1 GiB.
 * Needs `npm run build`.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { GPT_4O_MINI } from '../../helpers/prices.js';
import { numberOf } from '../helpers/forwarded-assertions.js';
import {
  peakRssMiB,
  rssMiB,
  startGatewayProcess,
  type GatewayProcess,
} from '../helpers/gateway-process.js';
import {
  amplifyingProtobuf,
  emptyResourceSpansJson,
  ld,
  requestOf,
  varint,
  type AmplifyingShape,
} from '../helpers/hostile-bodies.js';
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
  referenceDecode,
  type ComparableSpan,
} from '../helpers/reference-decoder.js';
import {
  openSlowClient,
  type SlowClient,
  type SlowKind,
} from './admission-slow-clients.js';

const ATTACK_MILLIS = 30_000;
const ATTACKERS = 40;
const HONEST_SENDERS = 4;
const SLOW_CLIENTS = 100;
/** Honest trace ids start with these bytes; no hostile body holds them. */
const HONEST_PREFIX = 'abcdef0123';
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const GZIP = { 'content-encoding': 'gzip' };

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

const sleep = (millis: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, millis));

/** Every worst-case body within the default limits (1,000,000 items, 10,000 spans). */
function hostileBodies(): { body: Buffer; headers: Record<string, string> }[] {
  const items: [AmplifyingShape, number][] = [
    ['empty-resource-spans', 999_980],
    ['empty-scope-spans', 999_980],
    ['empty-attributes', 999_980],
    ['bool-attributes', 499_990],
    ['empty-events', 999_980],
    ['empty-links', 999_980],
    ['empty-array-values', 999_980],
    ['empty-kvlist-entries', 999_980],
    ['tiny-spans', 10_000],
  ];
  return [
    ...items.map(([shape, count]) => ({
      body: amplifyingProtobuf(shape, count),
      headers: PROTOBUF,
    })),
    {
      body: gzipSync(emptyResourceSpansJson(999_990)),
      headers: { ...JSON_HEADERS, ...GZIP },
    },
  ];
}

interface HonestSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly input: number;
  readonly output: number;
}

function honestSpan(sender: number, index: number, span: number): HonestSpan {
  const n = sender * 100_000 + index * 10 + span;
  const hex = n.toString(16).padStart(12, '0');
  return {
    traceId: `${HONEST_PREFIX}${hex.padStart(22, '0')}`,
    spanId: `ab${hex.padStart(14, '0')}`,
    input: 100 + (n % 9_000),
    output: 10 + (n % 700),
  };
}

const EPOCH_NANOS = 1_767_225_600_000_000_000n;

function fixed64(tag: number, value: bigint): Buffer {
  const out = Buffer.alloc(9);
  out[0] = tag;
  out.writeBigUInt64LE(value, 1);
  return out;
}

function keyValue(key: string, value: string | number): Buffer {
  const any =
    typeof value === 'string'
      ? ld(0x0a, Buffer.from(value)) // string_value
      : Buffer.concat([Buffer.from([0x18]), varint(value)]); // int_value
  return ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, any));
}

/** The honest spans as an OTLP protobuf request, written field by field. */
function honestProtobuf(spans: readonly HonestSpan[]): Buffer {
  return requestOf(
    ...spans.map(span =>
      Buffer.concat([
        ld(0x0a, Buffer.from(span.traceId, 'hex')),
        ld(0x12, Buffer.from(span.spanId, 'hex')),
        ld(0x2a, Buffer.from('chat gpt-4o-mini')),
        Buffer.from([0x30, 3]), // kind: client
        fixed64(0x39, EPOCH_NANOS),
        fixed64(0x41, EPOCH_NANOS + 100_000_000n),
        ...Object.entries(chatAttributes(span.input, span.output)).map(
          ([key, value]) => keyValue(key, value),
        ),
      ]),
    ),
  );
}

function honestJson(spans: readonly HonestSpan[]): Buffer {
  return otlpJson(
    spans.map(span => ({
      traceId: span.traceId,
      spanId: span.spanId,
      name: 'chat gpt-4o-mini',
      startMillis: 0,
      endMillis: 100,
      attributes: chatAttributes(span.input, span.output),
    })),
  );
}

function expectedCost(span: HonestSpan): number {
  return (
    (span.input * GPT_4O_MINI.input +
      span.output * (GPT_4O_MINI.output as number)) /
    1_000_000
  );
}

describe('soak: the gateway process under a 1 GiB heap', () => {
  it('slow clients, a full queue of worst-case requests and honest senders at once: every honest span once, priced, under 1 GiB', async () => {
    const bodies = hostileBodies();
    sink = await startOtlpSink();
    const target = sink;
    const started = await startGatewayProcess(target.url, [
      '--body-timeout-seconds',
      '5',
      '--retry-after-seconds',
      '1',
    ]);
    gateway = started;
    const idleRss = rssMiB(started.pid);

    // The sink keeps every body; keep only the honest spans, decoded.
    const marker = Buffer.from(HONEST_PREFIX, 'hex');
    const forwarded: ComparableSpan[] = [];
    let hostileForwards = 0;
    const drain = (): void => {
      for (const request of target.accepted.splice(0)) {
        if (request.body.includes(marker)) {
          forwarded.push(
            ...referenceDecode(request.body).filter(span =>
              span.traceId.startsWith(HONEST_PREFIX),
            ),
          );
        } else hostileForwards += 1;
      }
      target.received.splice(0);
    };

    const deadline = Date.now() + ATTACK_MILLIS;
    const running = (): boolean => Date.now() < deadline;

    // 100 slow clients, replaced as the gateway cuts them off.
    const kinds: SlowKind[] = ['headers', 'body-byte', 'trickle', 'no-read'];
    let slowOpened = 0;
    const openSlow = async (): Promise<void> => {
      const kind = kinds[slowOpened % kinds.length] as SlowKind;
      slowOpened += 1;
      slow.push(await openSlowClient(started.port, kind, honestJson([])));
    };
    for (let index = 0; index < SLOW_CLIENTS; index++) await openSlow();
    const keepSlow = (async () => {
      while (running()) {
        await sleep(250);
        const open = slow.filter(client => !client.closed());
        const gone = slow.filter(client => client.closed());
        for (const client of gone) client.destroy();
        slow = open;
        while (slow.length < SLOW_CLIENTS && running()) await openSlow();
      }
    })();

    // Attackers: worst-case requests back to back.
    const attackStatuses = new Map<number | string, number>();
    const attack = async (first: number): Promise<void> => {
      for (let next = first; running(); next++) {
        const { body, headers } = bodies[next % bodies.length] as {
          body: Buffer;
          headers: Record<string, string>;
        };
        const status = await rawRequest(started.url, { headers, body }).then(
          response => response.status,
          (error: NodeJS.ErrnoException) => error.code ?? 'error',
        );
        attackStatuses.set(status, (attackStatuses.get(status) ?? 0) + 1);
        if (status !== 200) await sleep(50);
      }
    };
    const attackers = Array.from({ length: ATTACKERS }, (_, index) =>
      attack(index),
    );

    // Honest senders: 1 to 3 spans per request, protobuf or JSON, each
    // retried on 503 after Retry-After, as OTLP exporters do.
    const sent: HonestSpan[] = [];
    const honestStatuses = new Map<number, number>();
    const failures: string[] = [];
    let retried = 0;
    const honest = async (sender: number): Promise<void> => {
      for (let index = 0; running(); index++) {
        const spans = Array.from({ length: 1 + (index % 3) }, (_, span) =>
          honestSpan(sender, index, span),
        );
        const json = (sender + index) % 2 === 0;
        const body = json ? honestJson(spans) : honestProtobuf(spans);
        for (let attempt = 0; ; attempt++) {
          const response = await rawRequest(started.url, {
            headers: json ? JSON_HEADERS : PROTOBUF,
            body,
          });
          honestStatuses.set(
            response.status,
            (honestStatuses.get(response.status) ?? 0) + 1,
          );
          if (response.status === 200) break;
          if (response.status !== 503 || attempt === 30) {
            failures.push(`${response.status} ${response.body.toString()}`);
            break;
          }
          retried += 1;
          const retryAfter = Number(response.headers['retry-after'] ?? 1);
          await sleep(Math.min(retryAfter, 1) * 1000);
        }
        sent.push(...spans);
        drain();
      }
    };
    const senders = Array.from({ length: HONEST_SENDERS }, (_, sender) =>
      honest(sender),
    );

    let worstRss = 0;
    const watch = (async () => {
      while (running()) {
        if (started.alive()) worstRss = Math.max(worstRss, rssMiB(started.pid));
        drain();
        await sleep(200);
      }
    })();

    await Promise.all([...senders, ...attackers, keepSlow, watch]);
    expect(started.alive(), started.output()).toBe(true);
    const peak = peakRssMiB(started.pid);
    drain();

    expect(failures).toEqual([]);
    // Attackers get 200 or 503 (queue full), never a 500 or a dropped
    // connection. 408 too: the body timer also runs while the gateway
    // inflates a gzip body, one chunk per event-loop turn, and turns are
    // long while the lane decodes worst-case requests (the gzip JSON body
    // of a million empty resource spans inflates to 2.9 MiB).
    expect(
      [...attackStatuses].filter(([s]) => s !== 200 && s !== 503 && s !== 408),
    ).toEqual([]);
    expect(attackStatuses.get(200) ?? 0).toBeGreaterThan(10);
    expect(sent.length).toBeGreaterThanOrEqual(20);

    // Every honest span exactly once, at published prices.
    const bySpanId = new Map<string, ComparableSpan[]>();
    for (const span of forwarded) {
      bySpanId.set(span.spanId, [...(bySpanId.get(span.spanId) ?? []), span]);
    }
    expect(bySpanId.size).toBe(sent.length);
    expect(forwarded).toHaveLength(sent.length);
    for (const span of sent) {
      const copies = bySpanId.get(span.spanId) ?? [];
      expect(copies, span.spanId).toHaveLength(1);
      const copy = copies[0] as ComparableSpan;
      expect(copy.traceId).toBe(span.traceId);
      expect(copy.attributes['gen_ai.cost.source']).toEqual({
        s: 'price_table',
      });
      expect(numberOf(copy.attributes['gen_ai.usage.cost'])).toBeCloseTo(
        expectedCost(span),
        12,
      );
    }

    expect(peak).toBeLessThan(1024);
    process.stdout.write(
      `soak: ${sent.length} honest spans in ${[...honestStatuses].map(([s, n]) => `${n}×${s}`).join(', ')} (${retried} retries); ` +
        `attack ${[...attackStatuses].map(([s, n]) => `${n}×${s}`).join(', ')}, ${hostileForwards} forwarded; ` +
        `${slowOpened} slow clients opened; RSS ${idleRss.toFixed(0)} MiB idle, ${worstRss.toFixed(0)} MiB worst sampled, ${peak.toFixed(0)} MiB peak (VmHWM)\n`,
    );
    expect(await started.stop('SIGTERM')).toBe(0);
  }, 90_000);
});
