import type { Evaluation } from '../core/cost-engine.js';
import type { IdentityPolicy } from '../core/identity/identity-policy.js';
import type { ScrubBudget } from '../core/identity/scrub-budget.js';
import { scrubIdentityAttributes } from '../core/identity/scrub-identity-attributes.js';
import type { SpanAttributes } from '../core/span-like.js';
import { costAttributes, newCallCostAttributes } from './cost-attributes.js';
import { identityAttributes } from './identity-attributes.js';
import type { BackendAlias } from './backend-alias.js';
import { conversationIdAttribute } from './conversation-id-attribute.js';
import { langfuseAliases } from './langfuse-aliases.js';
import { openInferenceCostAliases } from './open-inference-cost-aliases.js';

/** Attributes a shell sets on (or merges into) one span. */
export type SpanAttributeUpdate = Record<
  string,
  string | number | boolean | string[]
>;

export interface CostSpanUpdateOptions {
  readonly policy: IdentityPolicy;
  readonly aliases: ReadonlySet<BackendAlias>;
}

/**
 * Everything one span gets, composed from the shared writers: privacy
 * rewrites of identity source attributes, cost, identity and backend
 * aliases. Every shell (processor, exporter wrapper, gateway) writes exactly
 * this, so a span reads the same whoever priced it. Undefined: no change.
 *
 * - Identity source attributes are rewritten on every span when a
 *   pseudonymization secret is set; otherwise on LLM spans (calls and
 *   wrappers, `isLlmSpan`) for e-mail addresses only, because scanning every
 *   span of an app would cost every span, not just LLM ones.
 * - The rewrites spend `budget` (the gateway's, one per request); without
 *   one, this span gets its own (see `scrubIdentityAttributes`).
 * - A span evaluated upstream (`already_priced`) keeps its cost attributes;
 *   only the privacy rewrites apply to it.
 * - An LLM call gets `gen_ai.conversation.id` from its session id when it
 *   has none, and the aliases' attributes (docs/backends.md); a skipped span
 *   gets only its `gen_ai.cost.skipped` marker.
 */
export function costSpanUpdate(
  attributes: SpanAttributes,
  isLlmSpan: boolean,
  evaluation: Evaluation | undefined,
  options: CostSpanUpdateOptions,
  budget?: ScrubBudget | undefined,
): SpanAttributeUpdate | undefined {
  const { policy } = options;
  let update: SpanAttributeUpdate | undefined;
  if (policy.pseudonymizes || (isLlmSpan && !policy.allowRawEmail)) {
    update = scrubIdentityAttributes(attributes, policy, budget);
  }
  // Already evaluated upstream: its cost attributes stay as they came, but
  // the privacy rules above still apply (upstream may have had no secret).
  if (
    evaluation === undefined ||
    (evaluation.kind === 'skipped' && evaluation.reason === 'already_priced')
  ) {
    return update;
  }
  const langfuse = options.aliases.has('langfuse');
  // The privacy rewrites alone, for the Langfuse tags (copied only then).
  const scrubbed = langfuse && update !== undefined ? { ...update } : undefined;
  // One object: each writer writes into the update being built.
  if (evaluation.kind !== 'call')
    return costAttributes(evaluation, update ?? {});
  update =
    update === undefined
      ? newCallCostAttributes(evaluation)
      : costAttributes(evaluation, update);
  identityAttributes(evaluation.identity, update);
  if (evaluation.identity.sessionId !== undefined) {
    conversationIdAttribute(evaluation.identity, attributes, update);
  }
  if (options.aliases.has('openinference')) {
    Object.assign(update, openInferenceCostAliases(evaluation));
  }
  if (langfuse) {
    Object.assign(
      update,
      langfuseAliases(evaluation, attributes, scrubbed, policy, budget),
    );
  }
  return update;
}
