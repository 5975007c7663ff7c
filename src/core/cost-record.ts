import type { Identity } from './identity.js';
import type { LlmCall } from './llm-call.js';
import type { CostResult } from './price/cost-result.js';

/** One evaluated LLM call: what every output (span, metrics, gateway) reads. */
export interface CostRecord {
  readonly call: LlmCall;
  readonly cost: CostResult;
  readonly identity: Identity;
  /**
   * The span the call was read from (32 hex digits): with `spanId`, the
   * call's key, the same each time the span is delivered again (the ledger
   * keeps one row per key). Set by every shell of this library; absent only
   * in records built by hand.
   */
  readonly traceId?: string | undefined;
  /** The span's id (16 hex digits), unique within its trace. */
  readonly spanId?: string | undefined;
}

/** An output fed with every evaluated call. Must not throw, must not block. */
export interface CostSink {
  record(record: CostRecord): void;
  forceFlush?(): Promise<void>;
  shutdown?(): Promise<void>;
}
