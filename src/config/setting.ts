/**
 * One row of the settings table: an option of one or more shells, its
 * environment variable, its default, how text and code values are checked,
 * and the line the docs and `--help` show. Every shell resolves its options
 * from such rows with `resolveSettings`: `option ?? env ?? default`.
 */

/** The parts of the library a setting configures. */
export type Shell =
  | 'processor'
  | 'exporter'
  | 'metrics'
  | 'prometheus'
  | 'gateway'
  | 'cli'
  | 'budget';

/** An option name kept working after a rename, with a one-time warning. */
export interface DeprecatedOption {
  readonly key: string;
  /** Turns the old option's value into the new one's (e.g. ms to s). */
  readonly convert?: (value: unknown) => unknown;
}

export interface Setting<
  V = Record<string, unknown>,
  K extends keyof V = keyof V,
> {
  /** Option name in code (`startGateway`, `new CostSpanProcessor`, ...). */
  readonly key: K;
  /** Environment variable; undefined for options only code can give. */
  readonly env: string | undefined;
  /** Older variable names still read (after `env`), with a one-time warning. */
  readonly deprecatedEnv?: readonly string[];
  /**
   * Old variables that only some shells ever read (the gateway's own
   * `OTEL_GENAI_COST_GATEWAY_*` names): still read by those alone.
   */
  readonly deprecatedEnvShells?: Readonly<Record<string, readonly Shell[]>>;
  /** Older option names still read (after `key`), with a one-time warning. */
  readonly deprecatedOptions?: readonly DeprecatedOption[];
  /** CLI flag (`--listen`); only settings of the gateway command have one. */
  readonly flag?: string;
  /** Older flags still accepted, hidden from `--help`. */
  readonly deprecatedFlags?: readonly string[];
  /** `host:port`, `seconds`, `count`: shown after the flag. */
  readonly valueName: string;
  /** The type in code, for the docs (`string[]`, `boolean`). */
  readonly type: string;
  /** The default as the docs and `--help` show it; undefined: none. */
  readonly defaultText: string | undefined;
  /** The value used when neither option nor variable is given. */
  readonly defaultValue?: V[K];
  /** The doc line. */
  readonly description: string;
  /** The shells that read it. */
  readonly shells: readonly Shell[];
  /**
   * Holds a secret (a token, credentials in a header): whatever is wrong
   * with a value, messages name the setting and the problem, never the
   * value. Its parser must not repeat the value either.
   */
  readonly secret?: true;
  /** Reads the text of a variable or flag (then checks it); throws when bad. */
  readonly parse?: (raw: string) => V[K];
  /** Checks a value given in code; throws when bad. */
  readonly check?: (value: unknown) => V[K];
}

/**
 * A value that cannot be used as given. `usable`, when set, is the part
 * that can (an allow-list without its reserved entries): a shell that
 * warns uses it instead of the default.
 */
export class SettingError extends Error {
  override name = 'SettingError';
  constructor(
    message: string,
    readonly usable?: unknown,
  ) {
    super(message);
  }
}
