import { BUDGET_SETTINGS } from '../config/budget-settings.js';
import { IDENTITY_SETTINGS } from '../config/identity-settings.js';
import {
  COST_METRICS_CODE_SETTINGS,
  LABEL_POLICY_SETTINGS,
} from '../config/label-policy-settings.js';
import { PROCESSOR_SETTINGS } from '../config/processor-settings.js';
import { PROMETHEUS_SETTINGS } from '../config/prometheus-settings.js';
import type { Setting } from '../config/setting.js';
import { choiceOf } from '../config/setting-values.js';
import { GATEWAY_SETTINGS } from '../gateway/gateway-settings.js';
import { EXPORT_SETTINGS } from '../ledger/export/export-settings.js';

/** A row of any part of the table. */
export type AnySetting = Setting<Record<string, unknown>, string>;

export const LOG_LEVELS = [
  'none',
  'error',
  'warn',
  'info',
  'debug',
  'verbose',
  'all',
] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Read by the command line itself (the OpenTelemetry variable). */
export const LOG_LEVEL_SETTING: Setting<{ logLevel: LogLevel }, 'logLevel'> = {
  key: 'logLevel',
  env: 'OTEL_LOG_LEVEL',
  valueName: LOG_LEVELS.join('|'),
  type: 'string',
  defaultText: 'warn',
  defaultValue: 'warn',
  description: 'log level of the gateway command',
  shells: ['cli'],
  ...choiceOf(LOG_LEVELS),
};

function rows(settings: readonly unknown[]): readonly AnySetting[] {
  return settings as readonly AnySetting[];
}

export type SettingsSection =
  | 'processor'
  | 'identity'
  | 'metrics'
  | 'prometheus'
  | 'gateway'
  | 'budget'
  | 'export'
  | 'cli';

/** The parts of the table, each documented in its own section. */
export const SETTINGS_SECTIONS: Readonly<
  Record<SettingsSection, readonly AnySetting[]>
> = {
  processor: rows(PROCESSOR_SETTINGS),
  identity: rows(IDENTITY_SETTINGS),
  metrics: rows([...COST_METRICS_CODE_SETTINGS, ...LABEL_POLICY_SETTINGS]),
  prometheus: rows(PROMETHEUS_SETTINGS),
  gateway: rows(GATEWAY_SETTINGS),
  budget: rows(BUDGET_SETTINGS),
  export: rows(EXPORT_SETTINGS),
  cli: rows([LOG_LEVEL_SETTING]),
};

/**
 * Every setting of every shell, once (the price overrides file is in the
 * processor's and the gateway's part): the one table the resolvers, the
 * docs' option tables and the CLI's `--help` come from.
 */
export const SETTINGS: readonly AnySetting[] = [
  ...new Set(Object.values(SETTINGS_SECTIONS).flat()),
];

/**
 * Variables the gateway command reads besides its flags' own: the shared
 * identity and label settings, and the log level.
 */
export function sharedGatewayEnvironment(): readonly AnySetting[] {
  const exportOnly = new Set(SETTINGS_SECTIONS.export);
  return SETTINGS.filter(
    setting =>
      !exportOnly.has(setting) &&
      setting.env !== undefined &&
      setting.flag === undefined &&
      (setting.shells.includes('gateway') || setting.shells.includes('cli')),
  );
}

/** Old names still read, with a one-time warning: `[old, new]`. */
export function deprecatedNames(
  settings: readonly AnySetting[] = SETTINGS,
): readonly (readonly [string, string])[] {
  return settings.flatMap(setting => [
    ...(setting.deprecatedEnv ?? []).map(
      old => [old, setting.env as string] as const,
    ),
    ...(setting.deprecatedFlags ?? []).map(
      old => [old, setting.flag as string] as const,
    ),
    ...(setting.deprecatedOptions ?? []).map(
      old => [`option ${old.key}`, `option ${setting.key}`] as const,
    ),
  ]);
}
