/**
 * Attack: tenant ids carrying terminal escapes (ESC, the C1 CSI, a
 * carriage return, U+2028), shown by `export`'s text summary (a dry run's
 * requests, the skipped customers). Before the fix they reached the
 * terminal raw; now every control character is printed escaped.
 */
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerExportCommand } from '../../../src/cli/export-command.js';
import { NOW, tempLedger, type TempLedger } from '../export/export-fixture.js';

let ledger: TempLedger | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await ledger?.close();
  ledger = undefined;
});

const HOSTILE = [
  '\u001b]0;pwned\u0007acme',
  '\u009b2Jglobex',
  'ini\rtech\u2028',
];

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => {
    out.push(text);
  });
  vi.spyOn(console, 'error').mockImplementation((text: string) => {
    out.push(text);
  });
  const program = new Command().exitOverride();
  registerExportCommand(program);
  const exitCode = process.exitCode;
  await program.parseAsync(['node', 'otel-genai-cost', 'export', ...args]);
  process.exitCode = exitCode;
  return out.join('\n');
}

describe('export text output with hostile ids', () => {
  it('dry run and skipped customers: no raw control character', async () => {
    ledger = await tempLedger();
    await ledger.add(
      HOSTILE.map(tenant => ({
        day: '2026-11-20',
        tenant,
        input: 1000,
        output: 100,
      })),
    );
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const table = join(dirname(ledger.path), 'customers.json');
    writeFileSync(table, JSON.stringify({ [HOSTILE[0] as string]: 'sub_1' }));
    const base = [
      '--ledger',
      ledger.url,
      '--period',
      '2026-11-20',
      '--dry-run',
    ];
    const dry = await run([...base, '--to', 'lago', '--customer-prefix', '']);
    const skipped = await run([...base, '--to', 'lago', '--customers', table]);
    for (const text of [dry, skipped]) {
      expect(text).not.toMatch(
        // eslint-disable-next-line no-control-regex
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028]/,
      );
    }
    expect(dry).toContain('\\u009b2Jglobex');
    expect(dry).toContain('would send 3 event(s)');
    expect(skipped).toContain('\\u009b2Jglobex');
    expect(skipped).toMatch(
      /skipped tenant ini\\u000dtech\\u2028 2026-11-20: unmapped/,
    );
  });
});
