import type { ExportTarget } from './destinations/export-destination.js';
import { ExportError } from './export-error.js';
import type { ExportPlan } from './plan-export.js';

/** Stripe refuses events older than 35 days: say so before sending any. */
export function checkEventAge(
  target: ExportTarget,
  maxAgeSeconds: number | undefined,
  plan: ExportPlan,
  nowMillis: number,
): void {
  if (maxAgeSeconds === undefined) return;
  // An hour's margin: the run itself takes time.
  const oldest = nowMillis / 1000 - maxAgeSeconds + 3600;
  const days = new Set<string>();
  for (const event of plan.events)
    if (event.timestampSeconds < oldest) days.add(event.day);
  for (const entry of plan.resend)
    if (Date.parse(`${entry.day}T00:00:00Z`) / 1000 < oldest)
      days.add(entry.day);
  if (days.size === 0) return;
  const list = [...days].sort();
  throw new ExportError(
    `${target} takes events up to ${maxAgeSeconds / 86_400} days old; ${list.length} day(s) of this export are older (${list[0]}${list.length > 1 ? ` to ${list[list.length - 1]}` : ''}): nothing was sent. Export a more recent period, or those days with --to csv`,
  );
}
