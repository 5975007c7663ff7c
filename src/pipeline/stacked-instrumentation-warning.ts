import { diag } from '@opentelemetry/api';
import {
  resolveEmitters,
  type EmittersOption,
} from '../core/select/emitters.js';

/** Distinct warnings at most (scope names come from spans). */
const MAX_WARNINGS = 16;

/**
 * The one-time `diag.warn` of a pipeline when stacked instrumentations show
 * up: once per pair of instrumentation scopes seen recording the same calls
 * (or, with a scope list, once per scope left out), naming them and what is
 * done about it.
 */
export class StackedInstrumentationWarning {
  private readonly _seen = new Set<string>();
  private readonly _action: string;

  constructor(emitters: EmittersOption | undefined) {
    const { preference } = resolveEmitters(emitters);
    this._action =
      preference === 'framework'
        ? "each call is priced once, from the outer (framework) layer's span (emitters: 'framework')"
        : preference === 'client'
          ? "each call is priced once, from the inner (client) layer's span (emitters: 'client')"
          : "each call is priced once, from the better-informed of the two records (emitters: 'auto'); set emitters to 'framework', 'client' or a list of scope names to choose";
  }

  readonly warn = (scopes: readonly string[]): void => {
    const key = [...scopes].sort().join('\n');
    if (this._seen.has(key) || this._seen.size >= MAX_WARNINGS) return;
    this._seen.add(key);
    if (scopes.length === 1) {
      diag.warn(
        `otel-genai-cost: LLM spans of instrumentation scope "${String(scopes[0])}" are not priced: the emitters option lists the scopes to trust, and not this one (gen_ai.cost.skipped=duplicate_of_stacked_instrumentation)`,
      );
      return;
    }
    diag.warn(
      `otel-genai-cost: stacked instrumentations detected: "${String(scopes[0])}" and "${String(scopes[1])}" record the same LLM calls; ${this._action}; the other span gets gen_ai.cost.skipped=duplicate_of_stacked_instrumentation`,
    );
  };
}
