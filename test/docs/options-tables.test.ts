import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIGURATION_DOC,
  renderGatewayOptions,
  withGeneratedBlocks,
} from '../../scripts/options-tables.js';
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

  it('a stale table is detected', () => {
    const text = readFileSync(CONFIGURATION_DOC, 'utf8');
    const stale = text.replace(
      '`OTEL_GENAI_COST_GATEWAY_MAX_TRACES` | `50000`',
      '`OTEL_GENAI_COST_GATEWAY_MAX_TRACES` | `40000`',
    );
    expect(stale).not.toBe(text);
    expect(withGeneratedBlocks(stale)).not.toBe(stale);
  });
});
