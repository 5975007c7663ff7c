/** The environment a shell reads; injectable so tests never touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return typeof process === 'undefined' ? {} : process.env;
}

/** Non-empty string (trimmed), or undefined. */
export function envString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
