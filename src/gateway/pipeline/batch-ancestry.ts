import {
  mergeTags,
  readSpanIdentity,
} from '../../core/identity/read-span-identity.js';
import type { ScrubBudget } from '../../core/identity/scrub-budget.js';
import type { AttributionTags } from '../../core/identity/tag-key.js';
import type { BatchSpan } from './batch-spans.js';

const MAX_DEPTH = 64;

/**
 * Identity inherited from ancestors within one request. A parent ends after
 * its children, so it is exported with them or later, never earlier: the
 * spans of the same request are the ancestors the gateway can know. Built
 * lazily, only when an LLM call asks, and reads each ancestor's identity
 * once (the same walk as the core's `TraceIdentityIndex`: nearest ancestor
 * first per key, stopping at the first missing link). Two spans with the
 * same span id: the first (in end-time order) is the ancestor, as it is
 * the one kept (`SpanDecider` rejects a different later one). JSON bags
 * are read within the request's identity budget.
 */
export class BatchAncestry {
  private readonly _spans: readonly BatchSpan[];
  private readonly _budget: ScrubBudget | undefined;
  private _byId: Map<string, BatchSpan> | undefined;
  private readonly _tags = new Map<BatchSpan, AttributionTags | undefined>();

  constructor(spans: readonly BatchSpan[], budget?: ScrubBudget | undefined) {
    this._spans = spans;
    this._budget = budget;
  }

  ancestorTags(child: BatchSpan): AttributionTags | undefined {
    const byId = (this._byId ??= firstById(this._spans));
    const layers: AttributionTags[] = [];
    let parentId = child.view.parentSpanId;
    for (
      let depth = 0;
      depth < MAX_DEPTH && parentId !== undefined;
      depth += 1
    ) {
      const parent = byId.get(parentId);
      if (parent === undefined || parent.view.traceId !== child.view.traceId)
        break;
      const tags = this._tagsOf(parent);
      if (tags !== undefined) layers.push(tags);
      parentId = parent.view.parentSpanId;
    }
    return layers.length === 0 ? undefined : mergeTags(...layers);
  }

  private _tagsOf(span: BatchSpan): AttributionTags | undefined {
    if (!this._tags.has(span))
      this._tags.set(span, readSpanIdentity(span.attributes, this._budget));
    return this._tags.get(span);
  }
}

function firstById(spans: readonly BatchSpan[]): Map<string, BatchSpan> {
  const byId = new Map<string, BatchSpan>();
  for (const span of spans) {
    if (!byId.has(span.view.spanId)) byId.set(span.view.spanId, span);
  }
  return byId;
}
