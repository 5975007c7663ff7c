/**
 * The README's install line is enough to type-check the main entry: every
 * package the built types of `otel-genai-cost` import (following their
 * relative imports from dist/esm/index.d.ts) is on that line, or is one of
 * our own dependencies (installed with us). A package
 * missing from it is TS2307 for a user with `skipLibCheck: false`. Runs
 * against the built package (npm test builds first).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENTRY = resolve('dist/esm/index.d.ts');
const SPECIFIER = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;

/** Bare packages imported by the .d.ts files reachable from `entry`. */
function importedPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(
      SPECIFIER,
    )) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) {
        const target = join(dirname(file), specifier.replace(/\.js$/, '.d.ts'));
        if (existsSync(target)) queue.push(target);
        continue;
      }
      const parts = specifier.split('/');
      packages.add(
        specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!,
      );
    }
  }
  return packages;
}

function installLine(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const line = /^npm install (.+)$/m.exec(readme);
  expect(line, 'README has an `npm install` line').not.toBeNull();
  return (line?.[1] ?? '').trim().split(/\s+/);
}

describe("the README's install line", () => {
  it('names every package the main entry types import', () => {
    const line = installLine();
    expect(line[0]).toBe('otel-genai-cost');
    const imported = [...importedPackages(ENTRY)].sort();
    expect(imported).toContain('@opentelemetry/api'); // the walk found imports
    // Our own dependencies (@pydantic/genai-prices) install with us.
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    const ours = new Set(Object.keys(pkg.dependencies ?? {}));
    expect(
      imported.filter(name => !line.includes(name) && !ours.has(name)),
    ).toEqual([]);
  });
});
