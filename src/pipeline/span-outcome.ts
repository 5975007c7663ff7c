import type { Evaluation } from '../core/cost-engine.js';
import type { CostRecord } from '../core/cost-record.js';
import type { SpanAttributeUpdate } from '../outputs/cost-span-update.js';

/** What the pipeline decided for one span. */
export interface SpanOutcome {
  /** Attributes to set on (or merge into) the span; undefined: no change. */
  readonly update: SpanAttributeUpdate | undefined;
  /** The call to count in the sinks (`CostPipeline.record`); undefined: none. */
  readonly record: CostRecord | undefined;
  /** The engine's decision; undefined when the span is not an LLM call. */
  readonly evaluation: Evaluation | undefined;
}
