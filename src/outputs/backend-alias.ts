/**
 * Extra attribute sets for backends that read other names than ours
 * (`aliases` option; see docs/backends.md):
 * - `openinference`: `llm.cost.*` for Arize AX (Phoenix computes its own);
 * - `langfuse`: `langfuse.observation.cost_details`, trace tags and
 *   observation metadata for tenant, plan and feature.
 */
export type BackendAlias = 'openinference' | 'langfuse';

export const BACKEND_ALIASES: readonly BackendAlias[] = [
  'openinference',
  'langfuse',
];
