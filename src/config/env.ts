import { diag } from '@opentelemetry/api';

/** The environment a shell reads; injectable so tests never touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return typeof process === 'undefined' ? {} : process.env;
}

/** Non-empty string, or undefined. */
export function envString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Positive integer; an invalid value gets one warning and reads as unset. */
export function envPositiveInt(env: Env, name: string): number | undefined {
  const raw = envString(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  diag.warn(`otel-genai-cost: ignoring ${name}=${raw}: not a positive integer`);
  return undefined;
}

/** `true`/`false` (also 1/0, yes/no); an invalid value reads as unset. */
export function envBool(env: Env, name: string): boolean | undefined {
  const raw = envString(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no') return false;
  diag.warn(`otel-genai-cost: ignoring ${name}=${raw}: not a boolean`);
  return undefined;
}

/** Comma-separated list, items trimmed, empty items dropped. */
export function envList(env: Env, name: string): string[] | undefined {
  return envString(env, name)
    ?.split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
}
