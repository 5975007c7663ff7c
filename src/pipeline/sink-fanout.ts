import { diag } from '@opentelemetry/api';
import type { CostRecord, CostSink } from '../core/cost-record.js';

const rejected = (error: unknown): void => {
  diag.error('otel-genai-cost: a cost sink rejected in record()', error);
};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/**
 * The one sink step: every record goes to every sink, each isolated (one
 * that throws or rejects is logged and the others still run).
 */
export class SinkFanout {
  private readonly _sinks: readonly CostSink[];

  constructor(sinks: readonly CostSink[]) {
    this._sinks = sinks;
  }

  record(record: CostRecord): void {
    for (const sink of this._sinks) {
      try {
        // `record` is typed void, yet an `async record()` still compiles:
        // its rejection must be logged here, not crash the application.
        const result: unknown = sink.record(record);
        if (isThenable(result)) result.then(undefined, rejected);
      } catch (error) {
        diag.error('otel-genai-cost: a cost sink threw in record()', error);
      }
    }
  }

  forceFlush(): Promise<void> {
    return this._all(sink => sink.forceFlush?.());
  }

  /** Flushes each sink, then shuts it down (as an SDK processor does). */
  shutdown(): Promise<void> {
    return this._all(async sink => {
      try {
        await sink.forceFlush?.();
      } finally {
        await sink.shutdown?.();
      }
    });
  }

  private async _all(
    run: (sink: CostSink) => Promise<void> | undefined,
  ): Promise<void> {
    await Promise.all(
      this._sinks.map(async sink => {
        try {
          await run(sink);
        } catch (error) {
          diag.error(
            'otel-genai-cost: a cost sink failed to flush or shut down',
            error,
          );
        }
      }),
    );
  }
}
