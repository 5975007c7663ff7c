/**
 * Reference copy of src/outputs/identity-attributes.ts at 390c6d2, before
 * the attribution source key was a module-local constant
 * (cost-marker-constants.property.test.ts). Do not optimize.
 */
import type { Identity } from '../../../../src/core/identity.js';
import {
  ATTR_APP_FEATURE,
  ATTR_APP_PLAN,
  ATTR_APP_TAG_PREFIX,
  ATTR_COST_ATTRIBUTION_SOURCE,
  ATTR_SESSION_ID,
  ATTR_TENANT_ID,
  ATTR_USER_ID,
} from '../../../../src/semconv.js';

/** The names as module-local constants (compared and returned by reference). */
const USER_ID = ATTR_USER_ID;
const SESSION_ID = ATTR_SESSION_ID;
const TENANT_ID = ATTR_TENANT_ID;
const APP_PLAN = ATTR_APP_PLAN;
const APP_FEATURE = ATTR_APP_FEATURE;

/**
 * The span attribute a tag is written to (`app.tag.<key>` for others): the
 * tags with a name of their own by a switch (no keyed look-ups in a table).
 */
export function identityAttributeName(tag: string): string {
  switch (tag) {
    case 'userId':
      return USER_ID;
    case 'sessionId':
      return SESSION_ID;
    case 'tenantId':
      return TENANT_ID;
    case 'plan':
      return APP_PLAN;
    case 'feature':
      return APP_FEATURE;
    default:
      return `${ATTR_APP_TAG_PREFIX}${tag}`;
  }
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
