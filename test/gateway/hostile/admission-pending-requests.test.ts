/**
 * `PendingRequests` under generated interleavings of requests starting,
 * receiving bytes, completing, failing and being evicted: the bounds hold
 * at every step, a queue slot is never taken by a body still arriving, and
 * everything comes back to zero once every request is released.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingRequests } from '../../../src/gateway/forward/pending-requests.js';
import type { RequestTicket } from '../../../src/gateway/forward/request-ticket.js';

const LIMITS = {
  maxRequests: 3,
  maxBytes: 1000,
  maxReading: 4,
  evictAfterMillis: 100,
};

type Step =
  | { kind: 'start'; advance: number }
  | { kind: 'reserve'; which: number; bytes: number }
  | { kind: 'admit'; which: number }
  | { kind: 'release'; which: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('start' as const),
    advance: fc.integer({ min: 0, max: 150 }),
  }),
  fc.record({
    kind: fc.constant('reserve' as const),
    which: fc.nat(),
    bytes: fc.integer({ min: 1, max: 600 }),
  }),
  fc.record({ kind: fc.constant('admit' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('release' as const), which: fc.nat() }),
);

interface Model {
  ticket: RequestTicket;
  bytes: number;
  queued: boolean;
  released: boolean;
}

describe('PendingRequests (generated interleavings)', () => {
  it('keeps every bound, queues only complete bodies, and returns to zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 80 }), async steps => {
        const pending = new PendingRequests(LIMITS);
        const live: Model[] = [];
        let now = 0;
        for (const step of steps) {
          const open = live.filter(entry => !entry.released);
          const pick = (which: number): Model | undefined =>
            open.length === 0 ? undefined : open[which % open.length];
          if (step.kind === 'start') {
            now += step.advance;
            const readingBefore = pending.reading;
            const oldest = open.find(
              entry => !entry.queued && !entry.ticket.evicted.aborted,
            );
            const ticket = pending.startReading(now);
            if (ticket === undefined) {
              // Refused only when every slot is taken by young readers.
              expect(readingBefore).toBe(LIMITS.maxReading);
              expect(now - (oldest?.ticket.startedAt ?? now)).toBeLessThan(
                LIMITS.evictAfterMillis,
              );
            } else {
              live.push({ ticket, bytes: 0, queued: false, released: false });
            }
          } else if (step.kind === 'reserve') {
            const entry = pick(step.which);
            if (entry !== undefined && !entry.queued) {
              const before = pending.bytes;
              const ok = entry.ticket.reserve(step.bytes);
              expect(ok).toBe(
                !entry.ticket.evicted.aborted &&
                  before + step.bytes <= LIMITS.maxBytes,
              );
              if (ok) entry.bytes += step.bytes;
            }
          } else if (step.kind === 'admit') {
            const entry = pick(step.which);
            if (entry !== undefined && !entry.queued) {
              const before = pending.requests;
              entry.queued = entry.ticket.admit();
              expect(entry.queued).toBe(
                !entry.ticket.evicted.aborted && before < LIMITS.maxRequests,
              );
            }
          } else {
            const entry = pick(step.which);
            if (entry !== undefined) {
              entry.ticket.release();
              entry.ticket.release(); // twice: a no-op
              entry.released = true;
            }
          }
          const holding = live.filter(entry => !entry.released);
          expect(pending.reading).toBeLessThanOrEqual(LIMITS.maxReading);
          expect(pending.requests).toBeLessThanOrEqual(LIMITS.maxRequests);
          expect(pending.bytes).toBeLessThanOrEqual(LIMITS.maxBytes);
          expect(pending.requests).toBe(
            holding.filter(entry => entry.queued).length,
          );
          expect(pending.bytes).toBe(
            holding.reduce((sum, entry) => sum + entry.bytes, 0),
          );
          expect(pending.reading).toBe(
            holding.filter(
              entry => !entry.queued && !entry.ticket.evicted.aborted,
            ).length,
          );
        }
        const idle = pending.whenIdle();
        for (const entry of live) entry.ticket.release();
        await idle;
        expect([pending.reading, pending.requests, pending.bytes]).toEqual([
          0, 0, 0,
        ]);
      }),
      { numRuns: 500 },
    );
  });

  it('an evicted reader gets a retryable 503 reason, and its slot goes to the newcomer', () => {
    const pending = new PendingRequests({ ...LIMITS, maxReading: 1 });
    const first = pending.startReading(0);
    expect(pending.startReading(50)).toBeUndefined();
    const second = pending.startReading(100);
    expect(second).toBeDefined();
    expect(first?.evicted.aborted).toBe(true);
    expect(first?.evicted.reason).toMatchObject({ status: 503 });
    expect(pending.reading).toBe(1);
  });
});
