/**
 * The package's public entries, as a user reaches them: by name
 * (`otel-genai-cost`, `otel-genai-cost/core`, ...) through package.json
 * `exports`, from a separate Node process (so neither vitest's resolver nor
 * tsconfig paths are involved), in ESM and CJS, with their types. Runs
 * against the built package (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Conditions {
  readonly types: string;
  readonly default: string;
}
interface PackageJson {
  readonly name: string;
  readonly exports: Record<
    string,
    string | { readonly import: Conditions; readonly require: Conditions }
  >;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const entries = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target === 'string' ? [] : [{ subpath, target }],
);
const specifier = (subpath: string) =>
  subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;

/** Export names per entry, loaded by name from a fresh Node process. */
function loadByName(kind: 'import' | 'require'): Record<string, string[]> {
  const names = JSON.stringify(entries.map(e => specifier(e.subpath)));
  const script =
    kind === 'import'
      ? `const out = {}; for (const n of ${names}) out[n] = Object.keys(await import(n)).sort(); console.log(JSON.stringify(out));`
      : `const out = {}; for (const n of ${names}) out[n] = Object.keys(require(n)).sort(); console.log(JSON.stringify(out));`;
  const args =
    kind === 'import'
      ? ['--input-type=module', '-e', script]
      : ['--input-type=commonjs', '-e', script];
  return JSON.parse(
    execFileSync(process.execPath, args, { encoding: 'utf8' }),
  ) as Record<string, string[]>;
}

describe('package entries', () => {
  it('declares the main entry and the core, semconv, prometheus and framework subpaths', () => {
    expect(entries.map(e => e.subpath).sort()).toEqual([
      '.',
      './core',
      './fastify',
      './hono',
      './nestjs',
      './prometheus',
      './semconv',
    ]);
  });

  it('has every ESM, CJS and type file the exports map names', () => {
    for (const { target } of entries) {
      for (const file of [
        target.import.types,
        target.import.default,
        target.require.types,
        target.require.default,
      ]) {
        expect(existsSync(file), file).toBe(true);
      }
    }
  });

  it('loads each entry by name through import and require, with the same names', () => {
    const esm = loadByName('import');
    const cjs = loadByName('require');
    expect(cjs).toEqual(esm);
    const main = esm[pkg.name] ?? [];
    expect(main).toContain('CostSpanProcessor');
    expect(esm[`${pkg.name}/semconv`]).toContain('ATTR_COST');
    expect(esm[`${pkg.name}/core`]).toContain('CostEngine');
    expect(esm[`${pkg.name}/prometheus`]).toContain('createPrometheusHandler');
    expect(esm[`${pkg.name}/fastify`]).toContain('fastifyAttribution');
    expect(esm[`${pkg.name}/hono`]).toContain('honoAttribution');
    expect(esm[`${pkg.name}/nestjs`]).toContain('AttributionInterceptor');
    // The main entry stays small: what an application calls, not the
    // building blocks (otel-genai-cost/core) or the names (…/semconv).
    expect(main.length).toBeLessThanOrEqual(25);
    expect(main.filter(name => name.startsWith('ATTR_'))).toEqual([]);
  });
});
