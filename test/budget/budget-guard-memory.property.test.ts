/**
 * The guard on the memory store against a reference model: a plain list
 * of the distinct calls (first delivery of a (trace, span) key within the
 * seen-key time to live) with their times, summed per subject over each
 * budget's window. Generated runs: calls of several users, tenants and
 * plans (some redelivered, some keyless subjects), a clock moving forward
 * by up to 30 hours, checks. The spend, the answer of each check and the
 * alerts must match: a threshold fires when a call crosses it, once per
 * subject, budget and calendar window (a rolling window: at most once in
 * its length).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetGuard, type Budget, type BudgetAlert } from '../../src/index.js';
import { windowAt } from '../../src/budget/window/budget-window-span.js';
import { gpt4oMicros, gpt4oRecord } from './budget-records.js';

const BUDGETS: readonly Budget[] = [
  { scope: 'user', limitUsd: 0.05, window: 'day', timezone: 'Europe/Berlin' },
  { scope: 'user', id: 'u0', limitUsd: 0.02, window: 'week' },
  { scope: 'tenant', limitUsd: 0.1, window: { rollingHours: 3 } },
  {
    scope: 'plan',
    id: 'pro',
    limitUsd: 0.2,
    window: 'month',
    timezone: 'America/New_York',
  },
];
const ALERT_AT = [0.5, 1];
const SEEN_TTL_SECONDS = 36 * 3600;
const HOUR = 3_600_000;

type Scope = 'user' | 'tenant' | 'plan';
interface Subject {
  userId?: string;
  tenantId?: string;
  plan?: string;
}
type Action =
  | {
      kind: 'call';
      subject: Subject;
      input: number;
      output: number;
      key: number;
    }
  | { kind: 'wait'; ms: number }
  | { kind: 'check'; subject: Subject };

const subject = fc.record(
  {
    userId: fc.constantFrom('u0', 'u1', 'u2'),
    tenantId: fc.constantFrom('t0', 't1'),
    plan: fc.constantFrom('free', 'pro'),
  },
  { requiredKeys: [] },
);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      subject,
      input: fc.integer({ min: 0, max: 1000 }).map(n => 2 * n),
      output: fc.integer({ min: 0, max: 500 }),
      // A small pool of keys: the same key again is a redelivery.
      key: fc.integer({ min: 0, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 1, max: 30 * HOUR }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('check' as const), subject }),
  },
);

const idOf = (s: Subject, scope: Scope): string | undefined =>
  scope === 'user' ? s.userId : scope === 'tenant' ? s.tenantId : s.plan;

interface Call {
  readonly subject: Subject;
  readonly micros: number;
  readonly at: number;
}

/** The reference: spend of a budget for a subject id at `now`, from the list of calls. */
function modelSpent(
  calls: readonly Call[],
  budget: Budget,
  id: string,
  now: number,
): number {
  const w = windowAt(budget.window, budget.timezone ?? 'UTC', now);
  return calls
    .filter(
      c =>
        idOf(c.subject, budget.scope) === id && c.at >= w.start && c.at <= now,
    )
    .reduce((sum, c) => sum + c.micros, 0);
}

function applies(budget: Budget, s: Subject): string | undefined {
  const id = idOf(s, budget.scope);
  return id !== undefined && (budget.id === undefined || budget.id === id)
    ? id
    : undefined;
}

describe('BudgetGuard on the memory store', () => {
  it('matches a reference model of distinct calls per window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(action, { minLength: 1, maxLength: 120 }),
        async (start, actions) => {
          let now = start;
          const alerts: BudgetAlert[] = [];
          const guard = new BudgetGuard({
            store: 'memory',
            budgets: BUDGETS,
            alertAt: ALERT_AT,
            onAlert: alert => alerts.push(alert),
            seenKeyTtlSeconds: SEEN_TTL_SECONDS,
            clock: () => now,
            env: {},
          });
          const calls: Call[] = [];
          const seen = new Map<number, number>();
          const expectedAlerts = new Map<string, number>();
          const alertKey = (
            b: number,
            id: string,
            t: number,
            at: number,
          ): string => {
            const budget = BUDGETS[b] as Budget;
            const w = windowAt(budget.window, budget.timezone ?? 'UTC', at);
            return `${b}|${id}|${t}|${typeof budget.window === 'object' ? 'rolling' : w.key}`;
          };
          for (const a of actions) {
            if (a.kind === 'wait') {
              now += a.ms;
            } else if (a.kind === 'call') {
              const first = seen.get(a.key);
              const counted =
                first === undefined || now - first >= SEEN_TTL_SECONDS * 1000;
              const hasBudget = BUDGETS.some(
                b => applies(b, a.subject) !== undefined,
              );
              const micros = gpt4oMicros(a.input, a.output);
              guard.record(
                gpt4oRecord(a.subject, a.input, a.output, {
                  traceId: 'a'.repeat(32),
                  // Key 0 must not be the all-zero span id: that is no
                  // valid id, and such a call is keyless (counted each time).
                  spanId: (a.key + 1).toString(16).padStart(16, '0'),
                }),
              );
              if (counted && hasBudget && micros > 0) {
                seen.set(a.key, now);
                calls.push({ subject: a.subject, micros, at: now });
                BUDGETS.forEach((budget, b) => {
                  const id = applies(budget, a.subject);
                  if (id === undefined) return;
                  const spent = modelSpent(calls, budget, id, now);
                  ALERT_AT.forEach((t, ti) => {
                    // Fires when this call crossed the threshold.
                    const at = Math.round(t * budget.limitUsd * 1e6);
                    if (spent < at || spent - micros >= at) return;
                    const key = alertKey(b, id, ti, now);
                    const last = expectedAlerts.get(key);
                    const rolling =
                      typeof budget.window === 'object'
                        ? budget.window.rollingHours * HOUR
                        : undefined;
                    if (
                      last !== undefined &&
                      (rolling === undefined || now - last < rolling)
                    )
                      return;
                    expectedAlerts.set(key, now);
                  });
                });
              }
              await guard.forceFlush();
            } else {
              const check = await guard.check(a.subject);
              const applied = BUDGETS.flatMap(budget => {
                const id = applies(budget, a.subject);
                return id === undefined
                  ? []
                  : [{ budget, spent: modelSpent(calls, budget, id, now) }];
              });
              const allowed = applied.every(
                x => x.spent < Math.round(x.budget.limitUsd * 1e6),
              );
              expect(check.allowed).toBe(allowed);
              expect(check.exceeded.length).toBe(
                applied.filter(
                  x => x.spent >= Math.round(x.budget.limitUsd * 1e6),
                ).length,
              );
              if (applied.length === 0)
                expect(check.remainingUsd).toBeUndefined();
              else {
                const least = Math.min(
                  ...applied.map(
                    x => Math.round(x.budget.limitUsd * 1e6) - x.spent,
                  ),
                );
                expect(Math.round((check.remainingUsd ?? -1) * 1e6)).toBe(
                  Math.max(0, least),
                );
              }
            }
          }
          for (const [u] of [['u0'], ['u1'], ['u2']] as const) {
            const spent = await guard.spent({ scope: 'user', id: u });
            expect(Math.round(spent * 1e6)).toBe(
              modelSpent(calls, BUDGETS[0] as Budget, u, now),
            );
          }
          expect(alerts.length).toBe(expectedAlerts.size);
          await guard.shutdown();
        },
      ),
      { numRuns: 150 },
    );
  });
});
