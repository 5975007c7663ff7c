import type { Identity } from '../core/identity.js';
import type { SpanAttributes } from '../core/span-like.js';
import { ATTR_GEN_AI_CONVERSATION_ID } from '../semconv.js';

/**
 * `gen_ai.conversation.id` from the resolved session id, when the span has
 * none of its own (Datadog LLM Observability groups sessions by it; Phoenix
 * and Langfuse read it after `session.id`). The session id is already
 * privacy-checked (pseudonymized or redacted like `session.id`). A session
 * and a conversation are not always the same: an app's session may hold
 * several conversations; a conversation id already on the span is kept.
 * Written into `into` when given (the span update being built).
 */
export function conversationIdAttribute(
  identity: Identity,
  attributes: SpanAttributes,
  into: Record<string, string | number | boolean | string[]> = {},
): Record<string, string> {
  const written = into as Record<string, string>;
  const sessionId = identity.sessionId;
  if (sessionId === undefined) return written;
  const own = attributes[ATTR_GEN_AI_CONVERSATION_ID];
  if (own !== undefined && own !== null && own !== '') return written;
  written[ATTR_GEN_AI_CONVERSATION_ID] = sessionId;
  return written;
}
