/**
 * Who an LLM call is attributed to, after privacy rules were applied
 * (pseudonymized ids, no raw e-mail addresses). Pure data.
 */
export interface Identity {
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
  readonly tenantId: string | undefined;
  readonly plan: string | undefined;
  readonly feature: string | undefined;
  /** Every attribution tag, the well-known ones included. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where it came from; `none` is the explicit unattributed bucket. */
  readonly source: 'context' | 'span' | 'ancestor' | 'manual' | 'none';
}

export const UNATTRIBUTED: Identity = Object.freeze({
  userId: undefined,
  sessionId: undefined,
  tenantId: undefined,
  plan: undefined,
  feature: undefined,
  tags: Object.freeze({}),
  source: 'none',
});
