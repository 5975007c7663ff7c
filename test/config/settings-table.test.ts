/**
 * Issue 10, item 2: one settings table for every shell. Names follow one
 * rule, durations are seconds, every variable any shell reads is a row.
 */
import { describe, expect, it } from 'vitest';
import {
  deprecatedNames,
  SETTINGS,
  SETTINGS_SECTIONS,
} from '../../src/cli/settings-table.js';

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The variable prefix of each part of the table. */
const PREFIX: Readonly<Record<keyof typeof SETTINGS_SECTIONS, string>> = {
  processor: 'OTEL_GENAI_COST_',
  identity: 'OTEL_GENAI_COST_',
  metrics: 'OTEL_GENAI_COST_METRICS_',
  prometheus: 'OTEL_EXPORTER_PROMETHEUS_',
  gateway: 'OTEL_GENAI_COST_GATEWAY_',
  budget: 'OTEL_GENAI_COST_BUDGET_',
  // The vendors' own variable names (STRIPE_API_KEY, ...).
  export: '',
  cli: 'OTEL_',
};

describe('the settings table', () => {
  it('names every variable after its option: prefix + SNAKE_CASE(option)', () => {
    const mismatched: string[] = [];
    for (const [section, rows] of Object.entries(SETTINGS_SECTIONS)) {
      for (const setting of rows) {
        if (setting.env === undefined) continue;
        // A setting shared by several shells keeps the shared prefix.
        const prefix =
          setting.shells.length > 1 && section === 'gateway'
            ? 'OTEL_GENAI_COST_'
            : PREFIX[section as keyof typeof PREFIX];
        if (setting.env !== prefix + snake(String(setting.key))) {
          mismatched.push(`${String(setting.key)}: ${setting.env}`);
        }
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('has one row per option name and per variable, and a flag per gateway-only row', () => {
    const variables = SETTINGS.flatMap(setting =>
      setting.env === undefined ? [] : [setting.env],
    );
    expect(new Set(variables).size).toBe(variables.length);
    for (const [section, rows] of Object.entries(SETTINGS_SECTIONS)) {
      const keys = rows.map(row => row.key);
      expect(new Set(keys).size, section).toBe(keys.length);
    }
    for (const setting of SETTINGS_SECTIONS.gateway) {
      expect(setting.flag).toBe(
        `--${snake(setting.key).toLowerCase().replaceAll('_', '-')}`,
      );
    }
  });

  it('measures every duration in seconds', () => {
    for (const setting of SETTINGS) {
      expect(setting.key).not.toMatch(/Millis|Ms$/);
      if (/Seconds$/.test(setting.key)) {
        expect(setting.valueName, setting.key).toBe('seconds');
      }
    }
  });

  it('parses its own documented default to the default it uses', () => {
    for (const setting of SETTINGS) {
      if (setting.parse === undefined || setting.defaultValue === undefined) {
        continue;
      }
      if (typeof setting.defaultValue !== 'number') continue;
      expect(setting.parse(String(setting.defaultValue)), setting.key).toEqual(
        setting.defaultValue,
      );
    }
  });

  it('keeps the old names of the issue working', () => {
    expect(deprecatedNames()).toEqual(
      expect.arrayContaining([
        [
          'OTEL_GENAI_COST_MAX_TAG_LENGTH',
          'OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH',
        ],
        ['OTEL_GENAI_COST_PRICES_FILE', 'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE'],
        [
          'OTEL_GENAI_COST_GATEWAY_PRICES',
          'OTEL_GENAI_COST_PRICE_OVERRIDES_FILE',
        ],
        ['--prices', '--price-overrides-file'],
        ['option identityWindowMillis', 'option identityWindowSeconds'],
      ]),
    );
  });
});
