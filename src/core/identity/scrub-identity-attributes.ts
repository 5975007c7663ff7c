import type { SpanAttributes } from '../span-like.js';
import type { IdentityPolicy } from './identity-policy.js';
import {
  forEachIdentityEntry,
  parseJsonObject,
  type IdentityEntry,
} from './read-span-identity.js';

/**
 * The rewrites privacy requires on a span's identity source attributes
 * (`user.id`, `ai.telemetry.metadata.userId`, `langfuse.user.id`,
 * `ai.settings.context.userId`, OpenInference `metadata` JSON, ...): each
 * value the policy protects (a pseudonymized key, an e-mail address) is
 * replaced by its pseudonym or `redacted-email`; a JSON bag is re-serialized
 * with the replaced leaves. Returns undefined when nothing must change.
 * Other attributes (prompts, messages) are not inspected.
 */
export function scrubIdentityAttributes(
  attributes: SpanAttributes,
  policy: IdentityPolicy,
): Record<string, string> | undefined {
  let replacements: Record<string, string> | undefined;
  let jsonEdits: Map<string, [IdentityEntry, string][]> | undefined;
  forEachIdentityEntry(attributes, entry => {
    const replacement = policy.protect(entry.tag, entry.value);
    if (replacement === undefined) return;
    if (entry.path === undefined) {
      replacements ??= {};
      replacements[entry.attributeKey] = replacement;
      return;
    }
    jsonEdits ??= new Map();
    const edits = jsonEdits.get(entry.attributeKey) ?? [];
    edits.push([entry, replacement]);
    jsonEdits.set(entry.attributeKey, edits);
  });
  if (jsonEdits !== undefined) {
    for (const [key, edits] of jsonEdits) {
      const object = parseJsonObject(attributes[key]);
      if (object === undefined) continue;
      for (const [entry, replacement] of edits) {
        setPath(object, entry.path ?? [], replacement);
      }
      replacements ??= {};
      replacements[key] = JSON.stringify(object);
    }
  }
  return replacements;
}

function setPath(
  object: Record<string, unknown>,
  path: readonly string[],
  value: string,
): void {
  let node: unknown = object;
  for (let i = 0; i < path.length - 1; i += 1) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[path[i] as string];
  }
  const last = path[path.length - 1];
  if (last !== undefined && node !== null && typeof node === 'object') {
    (node as Record<string, unknown>)[last] = value;
  }
}
