import { identitySourceOf } from '../../core/identity/read-span-identity.js';

/**
 * Key prefixes of the emitter families the core reads (GenAI semconv
 * `gen_ai.*`, AI SDK `ai.*`, OpenInference `llm.*` and
 * `openinference.*`, Langfuse `langfuse.*`, Traceloop `traceloop.*`):
 * every marker `classifySpan` looks at starts with one of them, and so
 * does every cost attribute a span priced upstream carries.
 */
const FAMILY_PREFIXES: readonly string[] = [
  'gen_ai.',
  'ai.',
  'llm.',
  'openinference.',
  'langfuse.',
  'traceloop.',
];

/**
 * Whether the gateway's pipeline may read an attribute with this key: a
 * key of an emitter family (a marker that makes a span an LLM call or a
 * wrapper) or an identity key (`identitySourceOf`: read from ancestors,
 * rewritten by the privacy rules). A span none of whose keys is one is
 * evaluated, written and used as an ancestor exactly as the same span
 * without attributes: the scan leaves its attributes undecoded and
 * forwards its bytes as received. A coarse filter on purpose (any key of
 * a family, not just the markers): a key it lets through costs a decode,
 * one it missed would cost a wrong result.
 */
export function isPipelineAttributeKey(key: string): boolean {
  for (const prefix of FAMILY_PREFIXES) {
    if (key.startsWith(prefix)) return true;
  }
  return identitySourceOf(key) !== undefined;
}
