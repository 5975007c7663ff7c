import { median, quantile } from './stats.js';
import { yieldToEventLoop } from './memory.js';

/** One contender: runs `ops` operations synchronously when asked. */
export interface Variant {
  readonly name: string;
  /** Untimed setup before each timed run (fresh input, for example). */
  prepare?(ops: number): void;
  run(ops: number): void;
}

export interface InterleaveOptions {
  /** Timed rounds; every variant runs once per round. */
  readonly rounds: number;
  /** Untimed rounds first, so every variant is JIT-compiled. */
  readonly warmupRounds: number;
  readonly opsPerRound: number;
  /** Divides every figure, e.g. spans per operation. */
  readonly unitsPerOp?: number;
}

export interface VariantTiming {
  readonly name: string;
  readonly medianNs: number;
  readonly p25Ns: number;
  readonly p75Ns: number;
}

/** A variant against the first one, from per-round pairs. */
export interface VariantComparison {
  readonly name: string;
  readonly against: string;
  /** Median of the per-round ratios variant / baseline. */
  readonly ratio: number;
  /** Median of the per-round differences, ns per unit. */
  readonly addedNs: number;
}

export interface InterleavedResult {
  readonly rounds: number;
  readonly opsPerRound: number;
  readonly timings: readonly VariantTiming[];
  readonly comparisons: readonly VariantComparison[];
  /**
   * Variant `a` against variant `b` (indexes), from per-round pairs, e.g.
   * what a processor adds beyond its floor, both measured in the same
   * rounds: the median of `a - b` per round, not a difference of medians.
   */
  compare(a: number, b: number): VariantComparison;
}

function pairwise(
  variants: readonly Variant[],
  samples: readonly (readonly number[])[],
  a: number,
  b: number,
): VariantComparison {
  const own = samples[a] ?? [];
  const base = samples[b] ?? [];
  return {
    name: variants[a]?.name ?? '',
    against: variants[b]?.name ?? '',
    ratio: median(own.map((value, r) => value / (base[r] ?? value))),
    addedNs: median(own.map((value, r) => value - (base[r] ?? value))),
  };
}

/**
 * Runs the variants in many short rounds, rotating their order every round,
 * so that machine drift (other processes, CPU frequency, GC) hits all of them
 * alike. Figures are ns per unit; comparisons pair each round's samples
 * before taking the median, which cancels drift between rounds.
 */
export async function measureInterleaved(
  variants: readonly Variant[],
  options: InterleaveOptions,
): Promise<InterleavedResult> {
  const units = options.opsPerRound * (options.unitsPerOp ?? 1);
  const samples = variants.map(() => [] as number[]);
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const variant = variants[index];
      if (variant === undefined) continue;
      variant.prepare?.(options.opsPerRound);
      const start = process.hrtime.bigint();
      variant.run(options.opsPerRound);
      // The turn of the event loop is timed with the round: work V8 and
      // Node defer to it (GC tasks, timers the round armed) is the round's.
      await yieldToEventLoop();
      const elapsed = Number(process.hrtime.bigint() - start);
      if (round >= options.warmupRounds) samples[index]?.push(elapsed / units);
    }
  }
  const timings = variants.map((variant, i) => {
    const own = samples[i] ?? [];
    return {
      name: variant.name,
      medianNs: median(own),
      p25Ns: quantile(own, 0.25),
      p75Ns: quantile(own, 0.75),
    };
  });
  const comparisons = variants
    .slice(1)
    .map((_, i) => pairwise(variants, samples, i + 1, 0));
  return {
    rounds: options.rounds,
    opsPerRound: options.opsPerRound,
    timings,
    comparisons,
    compare: (a, b) => pairwise(variants, samples, a, b),
  };
}
