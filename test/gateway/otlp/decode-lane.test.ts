import { describe, expect, it } from 'vitest';
import {
  DecodeLane,
  yieldToLoop,
} from '../../../src/gateway/otlp/decode-lane.js';

describe('DecodeLane', () => {
  it('runs one piece of work at a time, in arrival order, even across yields and failures', async () => {
    const lane = new DecodeLane();
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const work =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        most = Math.max(most, running);
        events.push(`${name} start`);
        await yieldToLoop();
        await yieldToLoop();
        events.push(`${name} end`);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      lane.run(work('a')),
      lane.run(work('b', true)),
      lane.run(work('c')),
    ]);
    expect(most).toBe(1);
    expect(events).toEqual([
      'a start',
      'a end',
      'b start',
      'b end',
      'c start',
      'c end',
    ]);
    expect(results.map(result => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
  });

  it('lets timers and I/O run between the steps of one piece of work', async () => {
    const lane = new DecodeLane();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    let seen = 0;
    await lane.run(async () => {
      for (let step = 0; step < 5; step++) {
        const until = Date.now() + 3;
        while (Date.now() < until); // a slice of synchronous work
        await yieldToLoop();
      }
      seen = ticks;
    });
    clearInterval(timer);
    expect(seen).toBeGreaterThan(0);
  });
});
