/**
 * Heap measurement. Uses `global.gc` when node runs with `--expose-gc`;
 * otherwise turns the flag on at runtime, so `npm run bench` (plain `tsx`)
 * measures the same way.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

function findGc(): { gc: () => void; via: 'flag' | 'runtime' } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { gc: exposed, via: 'flag' };
  v8.setFlagsFromString('--expose-gc');
  return { gc: vm.runInNewContext('gc') as () => void, via: 'runtime' };
}

const { gc, via } = findGc();

/** How `gc()` was obtained: `--expose-gc`, or enabled at runtime. */
export const gcVia = via;

/** Full collections, enough for weak references and finalizers to settle. */
export function collectGarbage(): void {
  for (let i = 0; i < 4; i++) gc();
}

/** `heapUsed` after a full collection, in bytes. */
export function heapUsedAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export function toMegabytes(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 100) / 100;
}

/** Lets timers and promise continuations (batch exports) run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}
