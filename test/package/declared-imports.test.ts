/**
 * Everything the built package imports, in its code and in its published
 * types, is a declared dependency or peer (or a Node.js built-in). A type
 * import of a package that is only a devDependency here (`@opentelemetry/core`,
 * `@opentelemetry/resources`) compiles in this repo and breaks a user's
 * type-check. Runs against the built package (npm test builds first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const declared = new Set([
  pkg.name,
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
]);

const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bimport\s+['"]([^'"]+)['"]/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\/\/\/\s*<reference\s+types\s*=\s*['"]([^'"]+)['"]/g,
];

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@')
    ? parts.slice(0, 2).join('/')
    : (parts[0] ?? '');
}

function isBuiltin(name: string): boolean {
  return name.startsWith('node:') || builtinModules.includes(name);
}

/** Packages a file's source imports that package.json does not declare. */
export function undeclaredImports(source: string): string[] {
  const found = new Set<string>();
  for (const pattern of SPECIFIERS) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('/')) continue;
      const name = packageOf(specifier);
      if (!isBuiltin(name) && !declared.has(name)) found.add(name);
    }
  }
  return [...found];
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith(suffix))
    .map(file => join(dir, file));
}

function offenders(suffix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const dir of ['dist/esm', 'dist/cjs']) {
    for (const file of filesUnder(dir, suffix)) {
      const names = undeclaredImports(readFileSync(file, 'utf8'));
      if (names.length > 0) out[file] = names;
    }
  }
  return out;
}

describe('built package imports', () => {
  it('finds an undeclared package in a type import, and accepts peers and built-ins', () => {
    expect(
      undeclaredImports(
        [
          "import type { ExportResult } from '@opentelemetry/core';",
          "import type { Resource } from '@opentelemetry/resources/build/x';",
          "import type { Span } from '@opentelemetry/api';",
          "import type { Server } from 'node:http';",
          "import type { EventEmitter } from 'events';",
          "export type R = import('@opentelemetry/sdk-trace-base').ReadableSpan;",
          "import { x } from './local.js';",
        ].join('\n'),
      ).sort(),
    ).toEqual(['@opentelemetry/core', '@opentelemetry/resources']);
  });

  it('published types (.d.ts) import only declared dependencies and peers', () => {
    expect(offenders('.d.ts')).toEqual({});
  });

  it('published code (.js) imports only declared dependencies and peers', () => {
    expect(offenders('.js')).toEqual({});
  });
});
