import type { Attributes, Context } from '@opentelemetry/api';
import type {
  ReadableSpan,
  Span,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ShapeCheck } from './check-shapes.js';

/**
 * The floor under any cost processor that writes its result on the span: it
 * does no work at all except writing, in `onEnding`, the very attributes
 * `CostSpanProcessor` wrote on the same shape (constants, found by one map
 * look-up). What `CostSpanProcessor` adds beyond this is our own work.
 */
export class WriteFloorProcessor implements SpanProcessor {
  /** span name -> scope name -> attributes written. */
  private readonly _updates = new Map<string, Map<string, Attributes>>();

  constructor(checks: readonly ShapeCheck[]) {
    for (const check of checks) {
      if (Object.keys(check.written).length === 0) continue;
      const byScope = this._updates.get(check.name) ?? new Map();
      byScope.set(check.scope, check.written);
      this._updates.set(check.name, byScope);
    }
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const update = this._updates
      .get(span.name)
      ?.get(span.instrumentationScope.name);
    if (update !== undefined) span.setAttributes(update);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
