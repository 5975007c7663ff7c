import type { MeterProvider } from '@opentelemetry/api';
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { BUDGET_SETTINGS } from '../config/budget-settings.js';
import type { Env } from '../config/env.js';
import { SettingError } from '../config/setting.js';
import {
  BudgetWebhookConfigError,
  resolveWebhookOptions,
  type BudgetWebhookOptions,
} from './alerts/webhook-options.js';
import { BudgetConfigError } from './budget-config-error.js';
import { BudgetGuard } from './budget-guard.js';
import {
  checkBudget,
  type BudgetGuardOptions,
} from './budget-guard-options.js';
import type { Budget } from './budget-types.js';

/** A budgets file that cannot be used; the message names the file, the line and the key. */
export class BudgetFileError extends Error {
  override readonly name = 'BudgetFileError';
}

/** The largest budgets file read (a list of budgets, not a database). */
export const MAX_BUDGET_FILE_BYTES = 1024 * 1024;

const WEBHOOK_KEYS = new Set([
  'url',
  'secret',
  'maxAttempts',
  'initialBackoffMillis',
  'maxBackoffMillis',
  'timeoutMillis',
  'maxQueuedAlerts',
  'maxConcurrentRequests',
]);
const BUDGET_KEYS = new Set(['scope', 'id', 'limitUsd', 'window', 'timezone']);
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

type Path = readonly (string | number)[];
const MAX_DEPTH = 8;

/**
 * Reads a budgets file (YAML, or JSON, which is YAML too) into
 * `BudgetGuard` options:
 *
 * ```yaml
 * store: ${REDIS_URL}          # or memory
 * alertAt: [0.5, 0.8, 1]
 * webhook: { url: https://ops.example.com/budget, secret: ${BUDGET_WEBHOOK_SECRET} }
 * budgets:
 *   - { scope: user, limitUsd: 5, window: day, timezone: Europe/Berlin }
 *   - { scope: tenant, id: acme, limitUsd: 500, window: month }
 * ```
 *
 * Any string may name an environment variable as `${NAME}` (keep secrets
 * out of the file). Every key is checked by the same rule as the option in
 * code; a `BudgetFileError` names the file, line and key, never a value.
 */
export async function loadBudgetFile(
  path: string,
  env: Env = process.env,
): Promise<BudgetGuardOptions> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_BUDGET_FILE_BYTES) {
      throw new BudgetFileError(
        `${path}: larger than ${MAX_BUDGET_FILE_BYTES} bytes`,
      );
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof BudgetFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new BudgetFileError(
      `${path}: cannot be read (${code ?? String(error)})`,
    );
  }
  return parseBudgetFile(text, path, env);
}

/** `loadBudgetFile` on text already read (`source` names it in messages). */
export function parseBudgetFile(
  text: string,
  source: string,
  env: Env = {},
): BudgetGuardOptions {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (path: Path): string => `${source}:${lineOf(doc, lines, path)}`;
  const fail = (path: Path, message: string): never => {
    throw new BudgetFileError(
      `${at(path)}: ${[...path].join('.') || 'file'}: ${message}`,
    );
  };
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0].line ?? 1;
    throw new BudgetFileError(
      `${source}:${line}: not valid YAML or JSON (${first.code})`,
    );
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail([], `cannot be read (${reason.slice(0, 100)})`);
  }
  const raw = substitute(js, [], env, fail);
  if (!isRecord(raw)) return fail([], 'expected a map with budgets: [...]');

  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'budgets') options['budgets'] = budgetsOf(value, fail);
    else if (key === 'webhook') options['webhook'] = webhookOf(value, fail);
    else options[key] = settingOf(key, value, fail);
  }
  if (options['budgets'] === undefined) fail([], 'budgets: required (a list)');
  return options as unknown as BudgetGuardOptions;
}

function settingOf(
  key: string,
  value: unknown,
  fail: (path: Path, message: string) => never,
): unknown {
  const row = BUDGET_SETTINGS.find(setting => setting.key === key);
  if (row === undefined) {
    const known = ['budgets', 'webhook', ...BUDGET_SETTINGS.map(s => s.key)];
    return fail([key], `unknown key (expected one of ${known.join(', ')})`);
  }
  try {
    if (row.check !== undefined) return row.check(value);
    if (row.parse !== undefined && typeof value === 'string')
      return row.parse(value);
    return fail([key], 'cannot be set in a file');
  } catch (error) {
    if (error instanceof SettingError) return fail([key], error.message);
    throw error;
  }
}

function budgetsOf(
  value: unknown,
  fail: (path: Path, message: string) => never,
): Budget[] {
  if (!Array.isArray(value)) return fail(['budgets'], 'expected a list');
  return value.map((entry: unknown, index) => {
    if (!isRecord(entry)) return fail(['budgets', index], 'expected a map');
    for (const key of Object.keys(entry)) {
      if (!BUDGET_KEYS.has(key)) {
        fail(
          ['budgets', index, key],
          `unknown key (expected ${[...BUDGET_KEYS].join(', ')})`,
        );
      }
    }
    try {
      return checkBudget(entry as unknown as Budget, index);
    } catch (error) {
      if (!(error instanceof BudgetConfigError)) throw error;
      const what = error.message.replace(/^BudgetGuard: budgets\[\d+\]: /, '');
      const key = [...BUDGET_KEYS].find(
        k => what.startsWith(k) || what.includes(` ${k} `),
      );
      return fail(
        key === undefined ? ['budgets', index] : ['budgets', index, key],
        what,
      );
    }
  });
}

function webhookOf(
  value: unknown,
  fail: (path: Path, message: string) => never,
): BudgetWebhookOptions {
  if (!isRecord(value))
    return fail(['webhook'], 'expected a map with url and secret');
  for (const key of Object.keys(value)) {
    if (!WEBHOOK_KEYS.has(key)) {
      fail(
        ['webhook', key],
        `unknown key (expected ${[...WEBHOOK_KEYS].join(', ')})`,
      );
    }
  }
  const webhook = value as unknown as BudgetWebhookOptions;
  try {
    resolveWebhookOptions(webhook);
  } catch (error) {
    if (!(error instanceof BudgetWebhookConfigError)) throw error;
    const key = /^webhook\.(\w+): (.*)$/.exec(error.message);
    return fail(['webhook', key?.[1] ?? 'url'], key?.[2] ?? error.message);
  }
  return webhook;
}

/** Replaces `${NAME}` in every string with the variable's value. */
function substitute(
  value: unknown,
  path: Path,
  env: Env,
  fail: (path: Path, message: string) => never,
): unknown {
  // A budgets file is a few levels deep; an alias to itself is endless.
  if (path.length > MAX_DEPTH) return fail(path.slice(0, 3), 'nested too deep');
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_match, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') {
        return fail(path, `the environment variable ${name} is not set`);
      }
      return found;
    });
  }
  if (Array.isArray(value))
    return value.map((item, i) => substitute(item, [...path, i], env, fail));
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '__proto__') continue;
      result[key] = substitute(item, [...path, key], env, fail);
    }
    return result;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The line of the node at `path`, else of its nearest parent present. */
function lineOf(doc: Document, lines: LineCounter, path: Path): number {
  for (let n = path.length; n >= 0; n -= 1) {
    const node: unknown =
      n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    // A key's line is where its value starts (the same line in the usual layout).
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      return lines.linePos(node.range[0]).line;
    }
  }
  return 1;
}

/**
 * The `BudgetGuard` of a budgets file, its store ready (the gateway's
 * `--budgets`). Rejects with a `BudgetFileError` or the guard's own error
 * (e.g. `ioredis` missing), the guard closed again.
 */
export async function openBudgetFile(
  path: string,
  options: { readonly env?: Env; readonly meterProvider?: MeterProvider } = {},
): Promise<BudgetGuard> {
  const env = options.env ?? process.env;
  const fileOptions = await loadBudgetFile(path, env);
  const guard = new BudgetGuard({
    ...fileOptions,
    env,
    ...(options.meterProvider === undefined
      ? {}
      : { meterProvider: options.meterProvider }),
  });
  try {
    await guard.ready();
  } catch (error) {
    await guard.shutdown();
    throw error;
  }
  return guard;
}
