import type { ExportTarget } from './destinations/export-destination.js';
import { ExportError } from './export-error.js';
import type { ExportPlan } from './plan-export.js';

/**
 * The oldest event time (ms) a vendor takes now, an hour's margin
 * included (the run itself takes time); undefined: any.
 */
export function oldestEventMillis(
  maxAgeSeconds: number | undefined,
  nowMillis: number,
): number | undefined {
  return maxAgeSeconds === undefined
    ? undefined
    : nowMillis - maxAgeSeconds * 1000 + 3_600_000;
}

/**
 * Stripe refuses events older than 35 days: given the plans of the days
 * past that limit, refuses the run (before any request) if any of them
 * has something to send.
 */
export function checkEventAge(
  target: ExportTarget,
  maxAgeSeconds: number | undefined,
  plans: readonly ExportPlan[],
): void {
  if (maxAgeSeconds === undefined) return;
  const days = new Set<string>();
  for (const plan of plans) {
    for (const event of plan.events) days.add(event.day);
    for (const entry of plan.resend) days.add(entry.day);
  }
  if (days.size === 0) return;
  const list = [...days].sort();
  throw new ExportError(
    `${target} takes events up to ${maxAgeSeconds / 86_400} days old; ${list.length} day(s) of this export are older (${list[0]}${list.length > 1 ? ` to ${list[list.length - 1]}` : ''}): nothing was sent. Export a more recent period, or those days with --to csv`,
  );
}
