import {
  mergeTags,
  readSpanIdentity,
} from '../../core/identity/read-span-identity.js';
import type { ScrubBudget } from '../../core/identity/scrub-budget.js';
import type { AttributionTags } from '../../core/identity/tag-key.js';
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
 * one). Each span's `parent` link (set by `splitBatch`, within the
 * trace) is the walk. JSON bags are read within the request's identity
 * budget.
 */
export class BatchAncestry {
  private readonly _budget: ScrubBudget | undefined;

  constructor(budget?: ScrubBudget | undefined) {
    this._budget = budget;
  }

  ancestorTags(child: BatchSpan): AttributionTags | undefined {
    let layers: AttributionTags[] | undefined;
    let parent = child.parent;
    for (let depth = 0; depth < MAX_DEPTH && parent !== undefined; depth += 1) {
      const tags = this._tagsOf(parent);
      if (tags !== undefined) (layers ??= []).push(tags);
      parent = parent.parent;
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
