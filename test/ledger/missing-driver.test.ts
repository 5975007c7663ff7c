/**
 * An application without the optional `libsql` package: the built library
 * (dist, `npm run build`) copied into a folder whose node_modules has every
 * package of ours but libsql. The ledger names the package to install.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const app = mkdtempSync(join(tmpdir(), 'ledger-no-driver-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

function install(): void {
  const modules = join(app, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (['libsql', '@libsql', 'otel-genai-cost', '.bin'].includes(name))
      continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  const ours = join(modules, 'otel-genai-cost');
  mkdirSync(ours);
  cpSync(join(root, 'package.json'), join(ours, 'package.json'));
  cpSync(join(root, 'dist'), join(ours, 'dist'), { recursive: true });
}

describe('the sqlite: ledger without the libsql package', () => {
  it('ready() rejects naming the package; writes spill instead of vanishing', () => {
    install();
    const script = `
      import { CostLedger } from 'otel-genai-cost';
      const ledger = new CostLedger({ url: 'sqlite:${join(app, 'ledger.db')}' });
      try { await ledger.ready(); console.log('opened'); } catch (error) { console.log('ERROR ' + error.message); }
      ledger.record({ call: { provider: 'openai', model: 'gpt-4o-mini', usage: undefined, startTimeMillis: 0 },
        cost: { priced: false, reason: 'missing_usage' }, identity: { tags: {} }, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
      await ledger.shutdown();
      console.log('spilled ' + ledger.stats.spilled);
    `;
    const result = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        cwd: app,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'ERROR the sqlite: ledger needs the "libsql" package (prebuilt SQLite for Node): npm install libsql',
    );
    expect(result.stdout).toContain('spilled 1');
  });
});
