import { diag, metrics, type Counter } from '@opentelemetry/api';
import { randomBytes, randomUUID } from 'node:crypto';
import type { CostRecord, CostSink } from '../core/cost-record.js';
import {
  createAlertDelivery,
  type AlertDeliveryHandle,
} from './alerts/alert-delivery.js';
import {
  resolveBudgetGuardOptions,
  type BudgetGuardOptions,
  type ResolvedBudgetGuardOptions,
} from './budget-guard-options.js';
import {
  emptyBudgetGuardStats,
  type BudgetDropReason,
  type BudgetGuardStats,
} from './budget-guard-stats.js';
import { costMicros, fromMicros, toMicros } from './budget-keys.js';
import {
  BudgetPlan,
  type AppliedBudget,
  type SubjectIds,
} from './budget-plan.js';
import { BudgetReservations, type Held } from './budget-reservations.js';
import type {
  BudgetCheck,
  BudgetCheckOptions,
  BudgetScope,
  BudgetSubject,
  BudgetWindow,
  ExceededBudget,
} from './budget-types.js';
import {
  reservationMember,
  type BudgetStore,
  type ReadOutcome,
  type RecordOperation,
} from './store/budget-store.js';
import { MemoryBudgetStore } from './store/memory-budget-store.js';
import { RedisBudgetStore } from './store/redis-budget-store.js';
import { withTimeout } from './with-timeout.js';

export const METRIC_BUDGET_STORE_ERRORS = 'otel_genai_cost.budget.store_errors';
export const METRIC_BUDGET_DROPPED = 'otel_genai_cost.budget.dropped';
export const METRIC_BUDGET_UNPRICED = 'otel_genai_cost.budget.unpriced_calls';

/** Buffered calls sent again per round while the store comes back. */
const REPLAY_BATCH = 1000;
const RETRY_MILLIS = 1000;
/** Recorded calls sent and not yet answered, at most (a background flush). */
const MAX_IN_FLIGHT = 256;

interface Pending {
  readonly operation: RecordOperation;
  readonly applied: readonly AppliedBudget[];
  /** The reservation the call settles, given back if the store had counted it already. */
  readonly settles?: { readonly ids: SubjectIds; readonly held: Held };
}

/**
 * Counts each priced call against the budgets of its user, tenant and
 * plan, and answers whether a subject may make another call. A `CostSink`:
 * pass it in `sinks`. `record` only enqueues; the write goes out on the
 * next turn of the event loop, pipelined (a `check` sends what is queued
 * first, so it sees every call recorded before it). See docs/budgets.md.
 *
 * @example
 * const guard = new BudgetGuard({ store: 'redis://127.0.0.1:6379',
 *   budgets: [{ scope: 'user', limitUsd: 5, window: 'day' }] });
 * new CostSpanProcessor({ sinks: [guard] });
 * if (!(await guard.check({ userId })).allowed) ...
 */
export class BudgetGuard implements CostSink {
  /** What the guard did so far (live object). */
  readonly stats: BudgetGuardStats = emptyBudgetGuardStats();
  private readonly o: ResolvedBudgetGuardOptions;
  private readonly plan: BudgetPlan;
  private readonly store: BudgetStore;
  private readonly delivery: AlertDeliveryHandle;
  private readonly reservations = new BudgetReservations();
  private readonly storeErrors: Counter;
  private readonly dropped: Counter;
  private readonly unpriced: Counter;
  private readonly inFlight = new Set<Promise<void>>();
  private queue: { readonly record: CostRecord; readonly at: number }[] = [];
  private buffer: Pending[] = [];
  private scheduled = false;
  private replaying: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private outage = false;
  private warnedUnpriced = false;
  private warnedReserve = false;
  private closed = false;
  /** Tells this guard's operations from any other's (see `RecordOperation.operationId`). */
  private readonly instanceId = randomBytes(9).toString('base64url');
  private operations = 0;

  constructor(options: BudgetGuardOptions) {
    this.o = resolveBudgetGuardOptions(options);
    this.plan = new BudgetPlan(
      this.o.budgets,
      this.o.alertAt,
      this.o.keyPrefix,
    );
    this.store =
      this.o.store === 'memory'
        ? new MemoryBudgetStore({ maxSeenKeys: this.o.maxSeenKeys })
        : new RedisBudgetStore({
            url: this.o.store,
            timeoutMillis: this.o.storeTimeoutMillis,
            onReady: () => void this.replay(),
          });
    this.delivery = createAlertDelivery({
      onAlert: options.onAlert,
      webhook: options.webhook,
      meterProvider: options.meterProvider,
    });
    const meter = (
      options.meterProvider ?? metrics.getMeterProvider()
    ).getMeter('otel-genai-cost');
    this.storeErrors = meter.createCounter(METRIC_BUDGET_STORE_ERRORS, {
      unit: '{error}',
      description:
        'Budget store commands that failed or timed out, by operation (check, record).',
    });
    this.dropped = meter.createCounter(METRIC_BUDGET_DROPPED, {
      unit: '{call}',
      description:
        'Recorded calls that never reached the budget store, by reason (buffer_full, after_shutdown).',
    });
    this.unpriced = meter.createCounter(METRIC_BUDGET_UNPRICED, {
      unit: '{call}',
      description:
        'Calls without a price seen by the budget guard (charged unpricedCallUsd, by default nothing).',
    });
  }

  /** Resolves once the store can be used (rejects when ioredis is missing). */
  async ready(): Promise<void> {
    if (this.store instanceof RedisBudgetStore) await this.store.ready();
  }

  /**
   * Counts a call (never throws, never waits): only enqueues it with the
   * time; its windows and keys are worked out when the queue is sent, on
   * the next turn of the event loop (or at the next `check`).
   */
  record(record: CostRecord): void {
    if (this.closed) {
      this.drop('after_shutdown', 1);
      return;
    }
    if (this.queue.length >= this.o.maxBufferedCalls) {
      this.drop('buffer_full', 1);
      return;
    }
    this.queue.push({ record, at: this.o.clock() });
    this.stats.queued += 1;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.sendQueued(false));
  }

  /**
   * Whether the subject may make a call: allowed while every budget that
   * applies has spend (plus reservations) below its limit; with
   * `reserveUsd`, while each has room for that much more, which is then
   * held until a call of the subject is priced (or the reservation's time
   * to live). One store round trip; a store failure answers `onStoreError`.
   */
  async check(
    subject: BudgetSubject,
    options: BudgetCheckOptions = {},
  ): Promise<BudgetCheck> {
    const at = this.o.clock();
    const ids = subjectIds(subject);
    const applied = this.plan.applicable(ids, at);
    if (applied.length === 0) {
      return {
        allowed: true,
        remainingUsd: undefined,
        resetAt: undefined,
        exceeded: [],
      };
    }
    this.sendQueued(true);
    const reserveMicros = this.reserveMicros(options.reserveUsd);
    const sets = this.plan.reservationSets(applied);
    const reserve =
      reserveMicros > 0
        ? {
            member: reservationMember(randomUUID(), reserveMicros),
            micros: reserveMicros,
            expireAt: at + this.o.reservationTtlMillis,
            sets,
          }
        : undefined;
    let outcome: ReadOutcome;
    try {
      outcome = await withTimeout(
        this.store.read({
          budgets: this.plan.reads(applied),
          now: at,
          ...(reserve ? { reserve } : {}),
        }),
        this.o.storeTimeoutMillis,
      );
    } catch (error) {
      this.storeFailed('check', error);
      this.stats.checksOnStoreError += 1;
      const allowed = this.o.onStoreError === 'allow';
      if (allowed && reserve !== undefined) {
        // The script may have run, its answer lost: the call goes ahead,
        // so its priced call settles the reservation if the store has it.
        this.reservations.add(ids, {
          member: reserve.member,
          sets,
          expireAt: reserve.expireAt,
        });
      }
      return {
        allowed,
        remainingUsd: undefined,
        resetAt: undefined,
        exceeded: [],
      };
    }
    this.storeWorks();
    if (reserve !== undefined && outcome.reserved) {
      this.reservations.add(ids, {
        member: reserve.member,
        sets,
        expireAt: reserve.expireAt,
      });
    }
    return checkResult(
      applied,
      outcome,
      reserve === undefined ? undefined : reserveMicros,
    );
  }

  /**
   * The spend of a subject in the current window of its first budget
   * (or of `window` when given), in USD; 0 when no budget of the scope
   * applies and no window is given. Rejects when the store fails.
   */
  async spent(query: {
    readonly scope: BudgetScope;
    readonly id: string;
    readonly window?: BudgetWindow;
    readonly timezone?: string;
  }): Promise<number> {
    const at = this.o.clock();
    const ids: SubjectIds = { [query.scope]: query.id };
    let applied = this.plan.applicable(ids, at);
    if (query.window !== undefined) {
      const wanted = JSON.stringify(query.window);
      applied = applied.filter(
        a =>
          JSON.stringify(a.budget.window) === wanted &&
          (a.budget.timezone ?? 'UTC') === (query.timezone ?? 'UTC'),
      );
      if (applied.length === 0) {
        const one = new BudgetPlan(
          [
            {
              scope: query.scope,
              limitUsd: 1,
              window: query.window,
              ...(query.timezone ? { timezone: query.timezone } : {}),
            },
          ],
          [],
          this.o.keyPrefix,
        );
        applied = one.applicable(ids, at);
      }
    }
    const first = applied[0];
    if (first === undefined) return 0;
    this.sendQueued(true);
    const outcome = await withTimeout(
      this.store.read({ budgets: this.plan.reads([first]), now: at }),
      this.o.storeTimeoutMillis,
    );
    return fromMicros(outcome.budgets[0]?.spent ?? 0);
  }

  /** Sends what is queued, waits for it (and a replay of the buffer), and for alert delivery. */
  async forceFlush(): Promise<void> {
    for (;;) {
      this.sendQueued(false);
      if (this.inFlight.size === 0) break;
      await Promise.race([...this.inFlight]);
    }
    if (this.buffer.length > 0) await this.replay();
    await this.delivery.flush();
  }

  /**
   * The reservation a check asks for, in micro-dollars: 0 without one. A
   * value that is not a finite number of at least 0 (an estimate gone NaN)
   * reserves nothing, with one warning per guard, rather than a wrong hold.
   */
  private reserveMicros(usd: number | undefined): number {
    if (usd === undefined) return 0;
    if (typeof usd === 'number' && Number.isFinite(usd) && usd >= 0) {
      return toMicros(usd);
    }
    if (!this.warnedReserve) {
      this.warnedReserve = true;
      diag.warn(
        `otel-genai-cost: BudgetGuard.check ignored reserveUsd ${String(usd)} (not a finite number of at least 0); the call was checked without a reservation`,
      );
    }
    return 0;
  }

  /** Flushes, counts what could not be sent as dropped, closes the store. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.forceFlush();
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.buffer.length > 0) {
      diag.warn(
        `otel-genai-cost: budget guard shut down with ${this.buffer.length} recorded calls the store never took (counted as dropped)`,
      );
      this.drop('after_shutdown', this.buffer.length);
      this.buffer = [];
      this.stats.buffered = 0;
    }
    await this.store.close();
    await this.delivery.shutdown();
  }

  /** What a recorded call does to the store; undefined when nothing. */
  private prepare(record: CostRecord, at: number): Pending | undefined {
    const ids = subjectIds(record.identity);
    const applied = this.plan.applicable(ids, at);
    const held = this.reservations.take(ids, at);
    const settle =
      held === undefined
        ? []
        : held.sets.map(setKey => ({ setKey, member: held.member }));
    let micros = record.cost.priced
      ? costMicros(record.cost.totalUsd)
      : undefined;
    if (micros === undefined) {
      // Unpriced, or a price that is no amount (NaN, Infinity, negative).
      const reason = record.cost.priced ? 'invalid_cost' : record.cost.reason;
      this.stats.unpriced += 1;
      this.unpriced.add(1, { reason });
      micros = costMicros(this.o.unpricedCallUsd) ?? 0;
      if (!this.warnedUnpriced) {
        this.warnedUnpriced = true;
        diag.warn(
          `otel-genai-cost: budget guard saw a call without a price (${reason}); it is charged ${this.o.unpricedCallUsd} USD (option unpricedCallUsd); warned once, counted in ${METRIC_BUDGET_UNPRICED}`,
        );
      }
    }
    if ((applied.length === 0 || micros === 0) && settle.length === 0) {
      return undefined;
    }
    let callKey: string;
    if (isValidId(record.traceId) && isValidId(record.spanId)) {
      callKey = `${record.traceId}:${record.spanId}`;
    } else {
      this.stats.keyless += 1;
      callKey = `keyless:${randomUUID()}`;
    }
    const operation = {
      ...this.plan.recordOperation(
        applied,
        callKey,
        micros,
        at,
        this.o.seenKeyTtlMillis,
        settle,
      ),
      operationId: `${this.instanceId}.${(this.operations += 1).toString(36)}`,
    };
    return {
      operation,
      applied,
      ...(held === undefined ? {} : { settles: { ids, held } }),
    };
  }

  /**
   * Sends queued calls (auto-pipelined: those of one turn go out in one
   * write), at most `MAX_IN_FLIGHT` awaiting an answer, so a burst waits
   * here rather than in Redis past the command timeout. `all` (a check,
   * which must see every call recorded before it) sends the whole queue.
   */
  private sendQueued(all: boolean): void {
    this.scheduled = false;
    const room = all ? this.queue.length : MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0 || this.queue.length === 0) return;
    for (const { record, at } of this.queue.splice(0, room)) {
      try {
        const pending = this.prepare(record, at);
        if (pending !== undefined) void this.send(pending);
      } catch (error) {
        diag.error(
          'otel-genai-cost: budget guard failed to record a call',
          error,
        );
      }
    }
    this.countQueued();
  }

  private send(pending: Pending): Promise<void> {
    const sent = withTimeout(
      this.store.record(pending.operation),
      this.o.storeTimeoutMillis,
    ).then(
      outcome => {
        this.storeWorks();
        if (!outcome.applied) {
          this.stats.duplicates += 1;
          const settles = pending.settles;
          if (settles !== undefined) {
            this.reservations.putBack(settles.ids, settles.held);
          }
          return;
        }
        this.stats.recorded += 1;
        for (const fired of outcome.fired) {
          const applied = pending.applied[fired.check];
          const threshold = this.o.alertAt[fired.threshold];
          if (applied === undefined || threshold === undefined) continue;
          this.stats.alertsFired += 1;
          this.delivery({
            budget: applied.budget,
            scope: applied.scope,
            id: applied.id,
            threshold,
            spentUsd: fromMicros(fired.spent),
            limitUsd: applied.budget.limitUsd,
            windowStart: new Date(applied.window.start),
            windowEnd: new Date(applied.window.end),
          });
        }
      },
      (error: unknown) => {
        this.storeFailed('record', error);
        this.hold(pending);
      },
    );
    this.inFlight.add(sent);
    this.countQueued();
    void sent.finally(() => {
      this.inFlight.delete(sent);
      this.countQueued();
      if (this.queue.length > 0) this.schedule();
    });
    return sent;
  }

  /** Keeps a call the store did not take, to send it again (bounded). */
  private hold(pending: Pending): void {
    if (this.closed || this.buffer.length >= this.o.maxBufferedCalls) {
      this.drop(this.closed ? 'after_shutdown' : 'buffer_full', 1);
      return;
    }
    this.buffer.push(pending);
    this.stats.buffered = this.buffer.length;
    if (this.retryTimer === undefined && !this.closed) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        void this.replay();
      }, RETRY_MILLIS);
      this.retryTimer.unref();
    }
  }

  /**
   * Sends the buffered calls again, a batch at a time, while the store
   * takes them. Safe to repeat: each carries its seen-key, so a call that
   * had landed before the failure is not counted twice.
   */
  private replay(): Promise<void> {
    if (this.replaying !== undefined) return this.replaying;
    if (this.buffer.length === 0) return Promise.resolve();
    const replaying = (async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, REPLAY_BATCH);
        this.stats.buffered = this.buffer.length;
        this.stats.replayed += batch.length;
        const before = this.stats.storeErrors;
        await Promise.all(batch.map(pending => this.send(pending)));
        if (this.stats.storeErrors !== before) break;
      }
    })();
    // Cleared after the assignment (the body may finish synchronously).
    this.replaying = replaying.finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  private storeFailed(operation: 'check' | 'record', error: unknown): void {
    this.stats.storeErrors += 1;
    this.storeErrors.add(1, { operation });
    if (this.outage) return;
    this.outage = true;
    diag.warn(
      `otel-genai-cost: budget store failed (${(error as Error)?.message ?? String(error)}); checks answer ${this.o.onStoreError === 'allow' ? 'allowed' : 'denied'} and recorded calls are held in memory (up to ${this.o.maxBufferedCalls}) and sent again when it is back; warned once per outage`,
    );
  }

  private storeWorks(): void {
    if (!this.outage) return;
    this.outage = false;
    diag.info('otel-genai-cost: budget store works again');
    if (this.buffer.length > 0) void this.replay();
  }

  private countQueued(): void {
    this.stats.queued = this.queue.length + this.inFlight.size;
  }

  private drop(reason: BudgetDropReason, count: number): void {
    this.stats.dropped[reason] += count;
    this.dropped.add(count, { reason });
  }
}

/**
 * A trace or span id that names one call: not empty, not all zeros (the
 * W3C invalid id, also what a gateway reads for a span sent without ids).
 * Calls without one are keyless: counted each time, never merged.
 */
function isValidId(id: string | undefined): id is string {
  return id !== undefined && /[^0]/.test(id);
}

function subjectIds(subject: BudgetSubject): SubjectIds {
  return {
    ...(subject.userId ? { user: subject.userId } : {}),
    ...(subject.tenantId ? { tenant: subject.tenantId } : {}),
    ...(subject.plan ? { plan: subject.plan } : {}),
  };
}

/**
 * The answer from what the store read: a budget is exceeded when its
 * spend plus reservations (plus the reservation asked for) reaches its
 * limit; `resetAt` is the latest reset of the exceeded budgets (when all
 * of them allow again), else the reset of the budget with least room.
 */
function checkResult(
  applied: readonly AppliedBudget[],
  outcome: ReadOutcome,
  reserveMicros: number | undefined,
): BudgetCheck {
  const exceeded: ExceededBudget[] = [];
  let remaining = Infinity;
  let tightestReset = 0;
  let latestExceededReset = 0;
  applied.forEach((a, i) => {
    const { spent, reserved } = outcome.budgets[i] ?? { spent: 0, reserved: 0 };
    const room = a.limitMicros - spent - reserved;
    if (room < remaining) {
      remaining = room;
      tightestReset = a.window.resetAt;
    }
    const over = reserveMicros === undefined ? room <= 0 : room < reserveMicros;
    if (over) {
      exceeded.push({
        budget: a.budget,
        id: a.id,
        spentUsd: fromMicros(spent),
        limitUsd: a.budget.limitUsd,
        resetAt: new Date(a.window.resetAt),
      });
      latestExceededReset = Math.max(latestExceededReset, a.window.resetAt);
    }
  });
  const allowed =
    reserveMicros === undefined ? exceeded.length === 0 : outcome.reserved;
  return {
    allowed,
    remainingUsd: fromMicros(Math.max(0, remaining)),
    resetAt: new Date(
      exceeded.length > 0 ? latestExceededReset : tightestReset,
    ),
    exceeded,
  };
}
