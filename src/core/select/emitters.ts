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
  const mode = text.toLowerCase();
  if (EMITTER_MODES.includes(mode)) return mode as EmittersOption;
  const scopes = text
    .split(',')
    .map(scope => scope.trim())
    .filter(scope => scope !== '');
  if (scopes.length === 0) {
    throw new TypeError(
      `expected auto, framework, client, all or instrumentation scope names separated by commas, got ${JSON.stringify(raw)}`,
    );
  }
  checkScopeNames(scopes);
  return scopes;
}

/**
 * A scope list is a filter: a mode inside it, or a mode misspelled, would
 * match no span and skip every LLM call. Those are errors. Scope names are
 * dotted or slashed package names, or a bare word (the AI SDK's `ai`).
 */
function checkScopeNames(scopes: readonly string[]): void {
  for (const scope of scopes) {
    const word = scope.toLowerCase();
    const near = EMITTER_MODES.find(
      mode =>
        mode === word ||
        (mode.length > 4 &&
          /^[a-z]+$/.test(word) &&
          editDistanceAtMost(word, mode, 2)),
    );
    if (near !== undefined) {
      throw new TypeError(
        `${JSON.stringify(scope)} looks like the mode ${near}: give one of auto, framework, client, all alone, or instrumentation scope names only`,
      );
    }
  }
}

/** Whether `a` becomes `b` in at most `max` edits (short words only). */
function editDistanceAtMost(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max || a.length > 32) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return (previous[b.length] as number) <= max;
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
    const scopes = value.map(scope => (scope as string).trim());
    checkScopeNames(scopes);
    return Object.freeze(scopes);
  }
  throw new TypeError(
    `expected auto, framework, client, all or a non-empty list of instrumentation scope names, got ${JSON.stringify(value)}`,
  );
}
