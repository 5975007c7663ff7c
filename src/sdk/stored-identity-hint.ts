import type { IdentityHint } from '../core/cost-engine.js';
import type { AttributionTags } from '../core/identity/tag-key.js';
import type { SpanIdentityStore } from './span-identity-store.js';

/**
 * The `IdentityHint` of a span from a `SpanIdentityStore`. One instance is
 * reused for every span a shell evaluates (evaluation is synchronous), so
 * spans that are not LLM calls allocate nothing for identity.
 */
export class StoredIdentityHint implements IdentityHint {
  private readonly _store: SpanIdentityStore;
  private _span: object = {};
  readonly ancestors = (): AttributionTags | undefined =>
    this._store.ancestorTags(this._span);

  constructor(store: SpanIdentityStore) {
    this._store = store;
  }

  of(span: object): this {
    this._span = span;
    return this;
  }

  get explicit(): AttributionTags | undefined {
    return this._store.explicitTags(this._span);
  }

  get explicitSource(): 'context' | 'manual' | undefined {
    return this._store.explicitSource(this._span);
  }
}
