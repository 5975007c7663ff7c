/**
 * Payload memory kept for reuse (PayloadBuffers): a buffer is lent to one
 * payload at a time. Generated sequences of takes, writes and releases
 * (double releases, foreign buffers, sizes around the pooled bounds) must
 * never let a take hand out memory a payload still holds: every payload
 * not released keeps the bytes written in it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_POOLED_BYTES,
  PayloadBuffers,
} from '../../../src/gateway/forward/payload-buffers.js';

const KB = 1024;

describe('PayloadBuffers', () => {
  it('lends each buffer to one payload until it is released', () => {
    const buffers = new PayloadBuffers();
    const first = buffers.take(300 * KB);
    const second = buffers.take(300 * KB);
    expect(first.length).toBe(300 * KB);
    expect(first.buffer).not.toBe(second.buffer);
    buffers.release(first);
    const third = buffers.take(290 * KB);
    expect(third.buffer).toBe(first.buffer);
    expect(third.length).toBe(290 * KB);
  });

  it('keeps a buffer released twice only once', () => {
    const buffers = new PayloadBuffers();
    const one = buffers.take(100 * KB);
    buffers.release(one);
    buffers.release(one);
    expect(buffers.free).toBe(1);
    const a = buffers.take(100 * KB);
    const b = buffers.take(100 * KB);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('ignores a view released before its memory was lent again', () => {
    // Found by the property below: the memory, not the view, was checked.
    const buffers = new PayloadBuffers();
    const old = buffers.take(MAX_POOLED_BYTES);
    buffers.release(old);
    const now = buffers.take(64 * KB);
    expect(now.buffer).toBe(old.buffer);
    now.fill(3);
    buffers.release(old);
    buffers.release(now.subarray(0, 10));
    expect(buffers.free).toBe(0);
    expect(buffers.take(64 * KB).buffer).not.toBe(now.buffer);
    expect(now[0]).toBe(3);
  });

  it('ignores memory it did not lend, and keeps neither small nor large payloads', () => {
    const buffers = new PayloadBuffers();
    buffers.release(Buffer.allocUnsafeSlow(200 * KB));
    buffers.release(new Uint8Array(200 * KB));
    buffers.release(buffers.take(64 * KB - 1));
    buffers.release(buffers.take(MAX_POOLED_BYTES + 1));
    expect(buffers.free).toBe(0);
    buffers.release(buffers.take(64 * KB));
    buffers.release(buffers.take(MAX_POOLED_BYTES));
    expect(buffers.free).toBe(2);
  });

  it('keeps at most two buffers', () => {
    const buffers = new PayloadBuffers();
    const taken = [1, 2, 3].map(() => buffers.take(128 * KB));
    for (const one of taken) buffers.release(one);
    expect(buffers.free).toBe(2);
  });

  it('never overwrites a payload not released (generated sequences)', () => {
    const size = fc.oneof(
      fc.integer({ min: 0, max: 2 * MAX_POOLED_BYTES }),
      fc.constantFrom(
        64 * KB - 1,
        64 * KB,
        64 * KB + 1,
        300 * KB,
        MAX_POOLED_BYTES,
        MAX_POOLED_BYTES + 1,
      ),
    );
    const step = fc.oneof(
      fc.record({ take: size }),
      fc.record({ release: fc.nat(), again: fc.boolean() }),
      fc.record({ foreign: fc.integer({ min: 0, max: 400 * KB }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), steps => {
        const buffers = new PayloadBuffers();
        const held: { view: Buffer; mark: number }[] = [];
        const released: Buffer[] = [];
        let mark = 0;
        for (const one of steps) {
          if ('take' in one) {
            mark = (mark + 1) % 251;
            const view = buffers.take(one.take);
            expect(view.length).toBe(one.take);
            if (view.length > 0) {
              view[0] = mark;
              view[view.length >> 1] = mark;
              view[view.length - 1] = mark;
            }
            held.push({ view, mark });
          } else if ('release' in one) {
            if (one.again && released.length > 0) {
              buffers.release(
                released[one.release % released.length] as Buffer,
              );
            } else if (held.length > 0) {
              const [gone] = held.splice(one.release % held.length, 1);
              buffers.release((gone as { view: Buffer }).view);
              released.push((gone as { view: Buffer }).view);
            }
          } else {
            buffers.release(Buffer.alloc(one.foreign));
          }
          for (const { view, mark: value } of held) {
            if (view.length > 0) {
              expect(view[0]).toBe(value);
              expect(view[view.length >> 1]).toBe(value);
              expect(view[view.length - 1]).toBe(value);
            }
          }
          expect(buffers.free).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
