import { remembersFromStart } from '../core/select/emitter-layer.js';

/** Fields that differ between SDK 1.x and 2.x/3.x spans. */
interface SpanScopes {
  readonly instrumentationScope?: object | undefined;
  readonly instrumentationLibrary?: object | undefined;
}

/**
 * The one property kept on an SDK instrumentation-scope object (never
 * enumerable, so exporters and copies do not see it): a module-local
 * symbol, so each copy of this library keeps its own answer.
 */
const REMEMBERS = Symbol('otel-genai-cost.remembers-from-start');

interface ScopeObject {
  readonly name?: unknown;
  [REMEMBERS]?: boolean;
}

/**
 * `remembersFromStart` of a span's instrumentation scope, answered once per
 * scope object: every span of a tracer shares its tracer's scope object
 * (whose name never changes), so the answer is kept on it and read back
 * with one property load; the look-up by scope name cost about 10-20 ns
 * per span. A frozen scope object is looked up by name each time.
 */
export function spanRemembersFromStart(span: object): boolean {
  const scopes = span as SpanScopes;
  const scope = (scopes.instrumentationScope ??
    scopes.instrumentationLibrary) as ScopeObject | undefined;
  if (typeof scope !== 'object' || scope === null) return false;
  const kept = scope[REMEMBERS];
  if (kept !== undefined) return kept;
  const name = scope.name;
  const remembers = typeof name === 'string' && remembersFromStart(name);
  if (Object.isExtensible(scope)) {
    Object.defineProperty(scope, REMEMBERS, {
      value: remembers,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  return remembers;
}
