import type { StackedPreference } from './stacked-preference.js';

/**
 * The `emitters` option: which instrumentation layer to trust when two
 * layers record the same provider call.
 * - `'auto'` (default): detect stacked layers and price each call once,
 *   from the better-informed record (cache and reasoning detail);
 * - `'framework'` / `'client'`: the same detection, but a pair is priced
 *   from the outer (framework) or inner (client: instrumentation or the
 *   provider SDK's own span) record; a call seen by one layer only is
 *   always priced;
 * - `'all'`: trust every layer, no cross-layer detection (the behaviour
 *   before stacking was detected: each LLM span is priced unless covered in
 *   its own trace);
 * - a list of instrumentation scope names: only LLM spans of these scopes
 *   are priced, any other LLM call span is skipped outright
 *   (`duplicate_of_stacked_instrumentation`). No matching, no memory, and
 *   the same answer on every gateway replica.
 */
export type EmittersOption =
  'auto' | 'framework' | 'client' | 'all' | readonly string[];

export interface ResolvedEmitters {
  /** Cross-layer matching and what a pair is priced from; undefined: off. */
  readonly preference: StackedPreference | undefined;
  /** Only these scopes are priced; undefined: every scope. */
  readonly scopes: ReadonlySet<string> | undefined;
}

export const EMITTER_MODES: readonly string[] = [
  'auto',
  'framework',
  'client',
  'all',
];

export function resolveEmitters(
  option: EmittersOption | undefined,
): ResolvedEmitters {
  if (option === undefined || option === 'auto') {
    return { preference: 'auto', scopes: undefined };
  }
  if (option === 'all') return { preference: undefined, scopes: undefined };
  if (option === 'framework' || option === 'client') {
    return { preference: option, scopes: undefined };
  }
  return { preference: undefined, scopes: new Set(option) };
}

/**
 * Reads the option from a string (env `OTEL_GENAI_COST_EMITTERS`, gateway
 * `--emitters`): a mode, or scope names separated by commas.
 */
export function parseEmitters(raw: string): EmittersOption {
  const text = raw.trim();
  if (EMITTER_MODES.includes(text)) return text as EmittersOption;
  const scopes = text
    .split(',')
    .map(scope => scope.trim())
    .filter(scope => scope !== '');
  if (scopes.length === 0) {
    throw new TypeError(
      `expected auto, framework, client, all or instrumentation scope names separated by commas, got ${JSON.stringify(raw)}`,
    );
  }
  return scopes;
}

/** Checks a value given in code. */
export function checkEmitters(value: unknown): EmittersOption {
  if (typeof value === 'string') {
    if (EMITTER_MODES.includes(value)) return value as EmittersOption;
    throw new TypeError(
      `expected auto, framework, client, all or a list of instrumentation scope names, got ${JSON.stringify(value)}`,
    );
  }
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(scope => typeof scope === 'string' && scope.trim() !== '')
  ) {
    return Object.freeze(value.map(scope => (scope as string).trim()));
  }
  throw new TypeError(
    `expected auto, framework, client, all or a non-empty list of instrumentation scope names, got ${JSON.stringify(value)}`,
  );
}
