/**
 * Reference copy (test only) of src/gateway/pipeline or src/gateway/span as of
 * 4fbaa2d, before the third performance pass: the enricher's property test
 * (enricher-reference-parity.test.ts) compares the current one with it.
 */
import {
  mergeTags,
  readSpanIdentity,
} from '../../../../src/core/identity/read-span-identity.js';
import type { ScrubBudget } from '../../../../src/core/identity/scrub-budget.js';
import type { AttributionTags } from '../../../../src/core/identity/tag-key.js';
import { NOT_READ, type BatchSpan } from './batch-spans.js';

const MAX_DEPTH = 64;

/**
 * Identity inherited from ancestors within one request. A parent ends after
 * its children, so it is exported with them or later, never earlier: the
 * spans of the same request are the ancestors the gateway can know. Read
 * lazily, only when an LLM call asks, each ancestor's identity once (kept
 * on its `BatchSpan`; the same walk as the core's `TraceIdentityIndex`:
 * nearest ancestor first per key, stopping at the first missing link). Two
 * spans with the same span id: the first (in end-time order) is the
 * ancestor, as it is the one kept (`SpanDecider` rejects a different later
 * one). JSON bags are read within the request's identity budget.
 */
export class BatchAncestry {
  private readonly _byId: ReadonlyMap<string, BatchSpan>;
  private readonly _budget: ScrubBudget | undefined;

  /** `byId`: each span id's span in the request (`SplitBatch.byId`). */
  constructor(
    byId: ReadonlyMap<string, BatchSpan>,
    budget?: ScrubBudget | undefined,
  ) {
    this._byId = byId;
    this._budget = budget;
  }

  ancestorTags(child: BatchSpan): AttributionTags | undefined {
    let layers: AttributionTags[] | undefined;
    let parentId = child.parentSpanId;
    for (
      let depth = 0;
      depth < MAX_DEPTH && parentId !== undefined;
      depth += 1
    ) {
      const parent = this._byId.get(parentId);
      if (parent === undefined || parent.traceId !== child.traceId) break;
      const tags = this._tagsOf(parent);
      if (tags !== undefined) (layers ??= []).push(tags);
      parentId = parent.parentSpanId;
    }
    return layers === undefined ? undefined : mergeTags(...layers);
  }

  private _tagsOf(span: BatchSpan): AttributionTags | undefined {
    if (span.identity === NOT_READ) {
      span.identity = readSpanIdentity(span.attributes, this._budget);
    }
    return span.identity;
  }
}
