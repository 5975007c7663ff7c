/**
 * A strict user project on OpenTelemetry JS 3.x type-checks against the
 * built package's declarations with `skipLibCheck: false`
 * (consumer/app.ts). Compiled in a temporary directory outside the
 * repository whose node_modules is this folder's (symlinked, with
 * `preserveSymlinks`), so a declaration importing a package that only the
 * repository root has (`@opentelemetry/sdk-trace-base`) fails here as it
 * does for a user.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'otel-genai-cost-otel-v3-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('compiles with strict, exactOptionalPropertyTypes and skipLibCheck: false', () => {
  symlinkSync(join(HERE, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(HERE, 'consumer', 'app.ts'), join(dir, 'app.ts'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const tsconfig = JSON.parse(
    readFileSync(join(HERE, 'consumer', 'tsconfig.json'), 'utf8'),
  ) as { compilerOptions: Record<string, unknown> };
  tsconfig.compilerOptions['preserveSymlinks'] = true;
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  let output = '';
  try {
    execFileSync(
      process.execPath,
      [join(HERE, 'node_modules/typescript/bin/tsc'), '-p', dir],
      { encoding: 'utf8', cwd: dir },
    );
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
});
