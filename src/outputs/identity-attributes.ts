import type { Identity } from '../core/identity.js';
import {
  ATTR_APP_FEATURE,
  ATTR_APP_PLAN,
  ATTR_APP_TAG_PREFIX,
  ATTR_COST_ATTRIBUTION_SOURCE,
  ATTR_SESSION_ID,
  ATTR_TENANT_ID,
  ATTR_USER_ID,
} from '../semconv.js';

/** Tag name → span attribute, for the tags with a name of their own. */
const NAMED: Readonly<Record<string, string>> = {
  userId: ATTR_USER_ID,
  sessionId: ATTR_SESSION_ID,
  tenantId: ATTR_TENANT_ID,
  plan: ATTR_APP_PLAN,
  feature: ATTR_APP_FEATURE,
};

/** The span attribute a tag is written to (`app.tag.<key>` for others). */
export function identityAttributeName(tag: string): string {
  return Object.hasOwn(NAMED, tag)
    ? (NAMED[tag] as string)
    : `${ATTR_APP_TAG_PREFIX}${tag}`;
}

/**
 * The attributes an identity puts on its LLM call span: `user.id`,
 * `session.id` (read by Langfuse and Phoenix), `tenant.id`, `app.plan`,
 * `app.feature`, `app.tag.<key>` for other allow-listed tags, and always
 * `gen_ai.cost.attribution.source` (`none` for the unattributed
 * bucket). Values are already privacy-checked by the identity policy.
 * Written into `into` when given (the span update being built).
 */
export function identityAttributes(
  identity: Identity,
  into: Record<string, string | number | boolean | string[]> = {},
): Record<string, string> {
  const attributes = into as Record<string, string>;
  attributes[ATTR_COST_ATTRIBUTION_SOURCE] = identity.source;
  const tags = identity.tags;
  for (const tag in tags) {
    if (!Object.hasOwn(tags, tag)) continue;
    attributes[identityAttributeName(tag)] = tags[tag] as string;
  }
  return attributes;
}
