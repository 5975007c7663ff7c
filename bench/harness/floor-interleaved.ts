/**
 * `measureInterleaved` (interleaved.ts) timed on two clocks at once: wall
 * time, as the bench reports, and the process's CPU time
 * (`process.cpuUsage`, user + system, every thread of the process: GC
 * helper threads included), which does not count the time the process is
 * not running: on a machine shared by several busy processes, a round
 * descheduled for a few milliseconds spoils a wall-time pair, not a CPU
 * pair. Same rounds, same rotation of the order, the turn of the event
 * loop timed with the round; comparisons are medians of per-round pairs.
 */
import { yieldToEventLoop } from './memory.js';
import { median } from './stats.js';
import type { InterleaveOptions, Variant } from './interleaved.js';

export interface TwoClockResult {
  /** Median per-round difference a - b, ns per unit, wall time. */
  wall(a: number, b: number): number;
  /** The same on CPU time. */
  cpu(a: number, b: number): number;
  /** Median ns per unit of variant `a` alone (wall, CPU). */
  alone(a: number): { readonly wall: number; readonly cpu: number };
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export async function measureTwoClocks(
  variants: readonly Variant[],
  options: InterleaveOptions,
): Promise<TwoClockResult> {
  const units = options.opsPerRound * (options.unitsPerOp ?? 1);
  const wall = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const variant = variants[index];
      if (variant === undefined) continue;
      variant.prepare?.(options.opsPerRound);
      const cpuStart = cpuMicros();
      const start = process.hrtime.bigint();
      variant.run(options.opsPerRound);
      await yieldToEventLoop();
      const elapsed = Number(process.hrtime.bigint() - start);
      const cpuElapsed = (cpuMicros() - cpuStart) * 1000;
      if (round >= options.warmupRounds) {
        wall[index]?.push(elapsed / units);
        cpu[index]?.push(cpuElapsed / units);
      }
    }
  }
  const pairs = (samples: number[][], a: number, b: number): number => {
    const own = samples[a] ?? [];
    const base = samples[b] ?? [];
    return median(own.map((value, r) => value - (base[r] ?? value)));
  };
  return {
    wall: (a, b) => pairs(wall, a, b),
    cpu: (a, b) => pairs(cpu, a, b),
    alone: a => ({ wall: median(wall[a] ?? []), cpu: median(cpu[a] ?? []) }),
  };
}
