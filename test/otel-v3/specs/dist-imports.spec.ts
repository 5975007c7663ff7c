/**
 * Every package the built JavaScript imports is installed in this folder:
 * Node would otherwise find it in the repository root's node_modules (2.x)
 * and the 3.x run would silently test a mix.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(HERE, 'node_modules', 'otel-genai-cost', 'dist', 'esm');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? jsFiles(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** `@scope/name` or `name` of a bare specifier. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

it('imports only packages installed next to it', () => {
  const packages = new Set<string>();
  for (const file of jsFiles(DIST)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
      const specifier = match[1] as string;
      if (!specifier.startsWith('node:')) packages.add(packageOf(specifier));
    }
  }
  expect(packages).toContain('@opentelemetry/api');
  expect(packages).toContain('@opentelemetry/sdk-metrics');
  const missing = [...packages].filter(
    name => !existsSync(join(HERE, 'node_modules', name, 'package.json')),
  );
  expect(missing).toEqual([]);
});
