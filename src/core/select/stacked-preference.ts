import type { LlmCall } from '../llm-call.js';
import { LAYER_RANK, type EmitterLayer } from './emitter-layer.js';
import { betterInformed } from './same-call.js';

/**
 * Which record of a stacked call to trust (the `emitters` option, layer
 * modes): `auto` the better-informed one (cache and reasoning detail, then
 * more tokens), `framework` the outer layer's (LangChain over a client
 * instrumentation over the provider SDK's own span), `client` the inner
 * layer's. A record without usage never wins over one with usage.
 */
export type StackedPreference = 'auto' | 'framework' | 'client';

/** Whether `layer` is trusted outright over `other` (never in `auto`). */
export function prefersLayer(
  preference: StackedPreference,
  layer: EmitterLayer,
  other: EmitterLayer,
): boolean {
  if (preference === 'auto') return false;
  const outer = LAYER_RANK[layer] > LAYER_RANK[other];
  return preference === 'framework' ? outer : !outer;
}

/** The call to price for a pair: `own` (the span priced) or `partner`'s. */
export function pairCall(
  preference: StackedPreference,
  ownLayer: EmitterLayer,
  own: LlmCall,
  partnerLayer: EmitterLayer,
  partner: LlmCall,
): LlmCall {
  if (own.usage === undefined && partner.usage !== undefined) return partner;
  if (partner.usage === undefined && own.usage !== undefined) return own;
  if (preference === 'auto' || ownLayer === partnerLayer) {
    return betterInformed(own, partner);
  }
  return prefersLayer(preference, partnerLayer, ownLayer) ? partner : own;
}
