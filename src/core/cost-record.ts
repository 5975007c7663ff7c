import type { Identity } from './identity.js';
import type { LlmCall } from './llm-call.js';
import type { CostResult } from './price/cost-result.js';

/** One evaluated LLM call: what every output (span, metrics, gateway) reads. */
export interface CostRecord {
  readonly call: LlmCall;
  readonly cost: CostResult;
  readonly identity: Identity;
}

/** An output fed with every evaluated call. Must not throw, must not block. */
export interface CostSink {
  record(record: CostRecord): void;
  forceFlush?(): Promise<void>;
  shutdown?(): Promise<void>;
}
