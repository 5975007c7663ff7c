import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIGURATION_DOC,
  renderDeprecated,
  renderEnvironment,
  renderGatewayOptions,
  renderOptions,
  withGeneratedBlocks,
} from '../../scripts/options-tables.js';
import {
  deprecatedNames,
  SETTINGS,
  SETTINGS_SECTIONS,
} from '../../src/cli/settings-table.js';
import { GATEWAY_SETTINGS } from '../../src/gateway/gateway-settings.js';

describe('generated option tables', () => {
  it('docs/configuration.md holds the tables the settings render (run npx tsx scripts/options-tables.ts)', () => {
    const text = readFileSync(CONFIGURATION_DOC, 'utf8');
    expect(withGeneratedBlocks(text)).toBe(text);
  });

  it('the gateway table has one row per setting, with its variable and default', () => {
    const table = renderGatewayOptions();
    expect(table.split('\n')).toHaveLength(GATEWAY_SETTINGS.length + 2);
    for (const setting of GATEWAY_SETTINGS) {
      const row = table
        .split('\n')
        .find(line => line.includes(`\`${setting.env}\``));
      expect(row, setting.env).toContain(setting.flag);
      if (setting.defaultText !== undefined) {
        expect(row).toContain(`\`${setting.defaultText}\``);
      }
    }
  });

  it.each(['processor', 'identity', 'metrics', 'prometheus'] as const)(
    'the %s table has one row per option, with its variable, its old names and its default',
    section => {
      const rows = SETTINGS_SECTIONS[section];
      const lines = renderOptions(rows).split('\n');
      expect(lines).toHaveLength(rows.length + 2);
      rows.forEach((setting, i) => {
        const line = lines[i + 2] as string;
        expect(line.startsWith(`| \`${setting.key}\``), line).toBe(true);
        if (setting.env !== undefined) expect(line).toContain(setting.env);
        for (const old of setting.deprecatedEnv ?? []) {
          expect(line).toContain(old);
        }
        if (setting.defaultText !== undefined) {
          expect(line).toContain(
            `\`${setting.defaultText.replace(/\|/g, '\\|')}\``,
          );
        }
      });
    },
  );

  it('lists every variable any shell reads, and every old name', () => {
    const environment = renderEnvironment();
    for (const setting of SETTINGS) {
      if (setting.env !== undefined) {
        expect(environment).toContain(`| \`${setting.env}\` |`);
      }
    }
    const deprecated = renderDeprecated();
    for (const [old, current] of deprecatedNames()) {
      expect(deprecated).toContain(`| \`${old}\` | \`${current}\` |`);
    }
  });

  it.each([
    [
      '`OTEL_GENAI_COST_GATEWAY_MAX_TRACES` | `50000`',
      '`OTEL_GENAI_COST_GATEWAY_MAX_TRACES` | `40000`',
    ],
    [
      '| `100000` | `OTEL_GENAI_COST_MAX_TRACKED_SPANS`',
      '| `1000` | `OTEL_GENAI_COST_MAX_TRACKED_SPANS`',
    ],
    [
      '`OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH` (formerly',
      '`OTEL_GENAI_COST_MAX_TAG_LENGTH` (formerly',
    ],
    ['| `OTEL_GENAI_COST_PRICES_FILE` |', '| `OTEL_GENAI_COST_PRICE_FILE` |'],
  ])('a stale table is detected (%s)', (current, stale) => {
    const text = readFileSync(CONFIGURATION_DOC, 'utf8');
    const changed = text.replace(current, stale);
    expect(changed).not.toBe(text);
    expect(withGeneratedBlocks(changed)).not.toBe(changed);
  });
});
