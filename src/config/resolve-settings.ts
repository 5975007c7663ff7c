import { diag } from '@opentelemetry/api';
import { envString, type Env } from './env.js';
import { SettingError, type Setting, type Shell } from './setting.js';
import { shown } from './setting-values.js';

/**
 * What a shell does with a value it cannot use. The in-process library
 * warns (one `diag.warn` naming the option or variable) and goes on with
 * the default: a typo in an environment variable must not take the
 * application down. The gateway and the CLI stop (`error` builds what is
 * thrown, naming the setting): a service must not run half-configured.
 */
export type InvalidPolicy =
  | { readonly kind: 'warn' }
  | { readonly kind: 'fail'; readonly error: (message: string) => Error };

export const WARN_AND_DEFAULT: InvalidPolicy = { kind: 'warn' };

export interface SettingsInput {
  /** Options given in code, by option name. */
  readonly options: object;
  readonly env: Env;
  readonly onInvalid: InvalidPolicy;
  /** The shell resolving: old variables of other shells are not read. */
  readonly shell?: Shell;
}

const warnedDeprecations = new Set<string>();

/** One warning per old name and process. */
export function warnDeprecated(old: string, replacement: string): void {
  if (warnedDeprecations.has(old)) return;
  warnedDeprecations.add(old);
  diag.warn(
    `otel-genai-cost: ${old} is deprecated and will be removed; use ${replacement}`,
  );
}

/**
 * Every setting of `table` resolved once: the option given in code, else
 * its environment variable (then its deprecated names), else its default.
 * A value a check refuses is handled by `onInvalid`.
 */
export function resolveSettings<V>(
  table: readonly Setting<V>[],
  input: SettingsInput,
): { [K in keyof V]: V[K] | undefined } {
  const options = input.options as Readonly<Record<string, unknown>>;
  const values: Partial<Record<keyof V, unknown>> = {};
  for (const setting of table) {
    let value = fromCode(setting, options, input.onInvalid);
    if (value === undefined && setting.env !== undefined) {
      value = fromEnv(setting, setting.env, input);
    }
    values[setting.key] = value ?? setting.defaultValue;
  }
  return values as { [K in keyof V]: V[K] | undefined };
}

function fromCode<V>(
  setting: Setting<V>,
  options: Readonly<Record<string, unknown>>,
  onInvalid: InvalidPolicy,
): unknown {
  const key = String(setting.key);
  let value = options[key];
  if (value === undefined) {
    for (const old of setting.deprecatedOptions ?? []) {
      if (options[old.key] === undefined) continue;
      warnDeprecated(`option ${old.key}`, `option ${key}`);
      value = (old.convert ?? (v => v))(options[old.key]);
      break;
    }
  }
  if (value === undefined || setting.check === undefined) return value;
  const name = setting.flag === undefined ? key : `${key} (${setting.flag})`;
  const check = setting.check;
  return checked(name, onInvalid, () => check(value));
}

function fromEnv<V>(
  setting: Setting<V>,
  variable: string,
  input: SettingsInput,
): unknown {
  let name = variable;
  let raw = envText(setting, input.env, variable);
  for (const old of setting.deprecatedEnv ?? []) {
    if (raw !== undefined) break;
    const only = setting.deprecatedEnvShells?.[old];
    if (only !== undefined && !only.some(shell => shell === input.shell)) {
      continue;
    }
    raw = envText(setting, input.env, old);
    if (raw !== undefined) {
      name = old;
      warnDeprecated(old, variable);
    }
  }
  if (raw === undefined) return undefined;
  const text = raw;
  const parse = setting.parse ?? ((value: string) => value as V[keyof V]);
  return checked(name, input.onInvalid, () => parse(text));
}

/**
 * A variable's text; blank means unset, except for a secret: a token that
 * came out blank is refused by its check, it must not turn authentication
 * off unnoticed.
 */
function envText<V>(
  setting: Setting<V>,
  env: Env,
  variable: string,
): string | undefined {
  const value = env[variable];
  return setting.secret === true && value !== undefined && value.trim() === ''
    ? value
    : envString(env, variable);
}

/** Runs a check; a refusal stops (`fail`) or warns and yields what is usable. */
function checked(
  name: string,
  onInvalid: InvalidPolicy,
  check: () => unknown,
): unknown {
  try {
    return check();
  } catch (error) {
    const message = (error as Error).message;
    if (onInvalid.kind === 'fail') {
      throw onInvalid.error(`${name}: ${message}`);
    }
    const usable = error instanceof SettingError ? error.usable : undefined;
    diag.warn(
      usable === undefined
        ? `otel-genai-cost: ignoring ${name}: ${message}`
        : `otel-genai-cost: ${name}: ${message}; using ${shown(usable)}`,
    );
    return usable;
  }
}
