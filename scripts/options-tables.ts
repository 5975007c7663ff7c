// Renders the option tables of docs/configuration.md from the settings
// table in src (src/cli/settings-table.ts), so the docs cannot drift from
// what the code reads. `npx tsx scripts/options-tables.ts` rewrites them;
// test/docs checks them.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  deprecatedNames,
  SETTINGS,
  SETTINGS_SECTIONS,
  type AnySetting,
  type SettingsSection,
} from '../src/cli/settings-table.js';
import type { Shell } from '../src/config/setting.js';

export const CONFIGURATION_DOC = 'docs/configuration.md';

/** A generated block: its markers and how to render what goes between. */
interface GeneratedBlock {
  readonly name: string;
  readonly render: () => string;
}

const SHELL_NAMES: Readonly<Record<Shell, string>> = {
  processor: 'processor',
  exporter: 'exporter',
  metrics: 'CostMetrics',
  prometheus: 'Prometheus helper',
  gateway: 'gateway',
  cli: 'CLI',
  budget: 'BudgetGuard',
};

function rows(section: SettingsSection): readonly AnySetting[] {
  return SETTINGS_SECTIONS[section];
}

const BLOCKS: readonly GeneratedBlock[] = [
  { name: 'processor-options', render: () => renderOptions(rows('processor')) },
  { name: 'identity-options', render: () => renderOptions(rows('identity')) },
  { name: 'metrics-options', render: () => renderOptions(rows('metrics')) },
  {
    name: 'prometheus-options',
    render: () => renderOptions(rows('prometheus')),
  },
  { name: 'gateway-options', render: renderGatewayOptions },
  { name: 'budget-options', render: () => renderOptions(rows('budget')) },
  { name: 'export-options', render: renderExportOptions },
  { name: 'environment-variables', render: renderEnvironment },
  { name: 'deprecated-names', render: renderDeprecated },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function code(text: string | undefined, none = 'none'): string {
  return text === undefined ? none : `\`${cell(text)}\``;
}

function envCell(setting: AnySetting): string {
  if (setting.env === undefined) return 'none';
  const old = setting.deprecatedEnv ?? [];
  return old.length === 0
    ? code(setting.env)
    : `${code(setting.env)} (formerly ${old.map(name => oldEnvName(setting, name)).join(', ')})`;
}

/** An old variable, with the shells that still read it when not all do. */
function oldEnvName(setting: AnySetting, name: string): string {
  const only = setting.deprecatedEnvShells?.[name];
  return only === undefined
    ? code(name)
    : `${code(name)} (${only.map(shell => SHELL_NAMES[shell]).join(', ')} only)`;
}

/** Option, type, default, variable, who reads it, meaning: one row each. */
export function renderOptions(settings: readonly AnySetting[]): string {
  const lines = settings.map(setting => {
    const old = (setting.deprecatedOptions ?? []).map(o => code(o.key));
    const option =
      old.length === 0
        ? code(setting.key)
        : `${code(setting.key)} (formerly ${old.join(', ')})`;
    return `| ${option} | ${code(setting.type)} | ${code(setting.defaultText)} | ${envCell(setting)} | ${setting.shells.map(shell => SHELL_NAMES[shell]).join(', ')} | ${cell(setting.description)} |`;
  });
  return [
    '| Option | Type | Default | Environment variable | Read by | Meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

/** The gateway's flags, variables and defaults. */
export function renderGatewayOptions(): string {
  const lines = rows('gateway').map(
    setting =>
      `| ${code(`${setting.flag ?? ''} <${setting.valueName}>`)} | ${envCell(setting)} | ${code(setting.defaultText)} | ${cell(setting.description)} |`,
  );
  return [
    '| Flag | Environment variable | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

/** The export command's keys and endpoint: flag or variable, default, meaning. */
export function renderExportOptions(): string {
  const lines = rows('export').map(
    setting =>
      `| ${setting.flag === undefined ? 'none' : code(`${setting.flag} <${setting.valueName}>`)} | ${envCell(setting)} | ${code(setting.defaultText)} | ${cell(setting.description)} |`,
  );
  return [
    '| Flag | Environment variable | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

/** The option and flag a variable stands for (none for the CLI's own). */
function optionNames(setting: AnySetting): string {
  if (setting.shells.every(shell => shell === 'cli')) return 'none';
  return [setting.key, setting.flag]
    .filter(name => name !== undefined)
    .map(name => code(name))
    .join(', ');
}

/** Every variable read, by whom, and its option. */
export function renderEnvironment(): string {
  const lines = SETTINGS.filter(setting => setting.env !== undefined).map(
    setting =>
      `| ${code(setting.env)} | ${optionNames(setting)} | ${setting.shells.map(shell => SHELL_NAMES[shell]).join(', ')} |`,
  );
  return [
    '| Variable | Option | Read by |',
    '| --- | --- | --- |',
    ...lines,
  ].join('\n');
}

/** Old names and what replaced them. */
export function renderDeprecated(): string {
  return [
    '| Old name (still read, one warning) | Use instead |',
    '| --- | --- |',
    ...deprecatedNames().map(
      ([old, current]) => `| ${code(old)} | ${code(current)} |`,
    ),
  ].join('\n');
}

/** `text` with every generated block rendered anew. */
export function withGeneratedBlocks(text: string): string {
  let out = text;
  for (const block of BLOCKS) {
    const start = `<!-- generated:${block.name} -->`;
    const end = `<!-- /generated:${block.name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) {
      throw new Error(`${CONFIGURATION_DOC}: markers of ${block.name} missing`);
    }
    out = `${out.slice(0, from + start.length)}\n\n${block.render()}\n\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1]?.endsWith('options-tables.ts')) {
  const text = readFileSync(CONFIGURATION_DOC, 'utf8');
  writeFileSync(CONFIGURATION_DOC, withGeneratedBlocks(text));
}
