/**
 * The repository's SDK-facing suites (the same files `npm test` runs on
 * OpenTelemetry JS 2.x), run here on Node 24 against OpenTelemetry JS 3.x
 * and the BUILT package as installed in this folder:
 *
 * - `../../src/**` imported by a test resolves to the installed copy of
 *   `dist/esm` (node_modules/otel-genai-cost, a copy: `install-links`), so
 *   the code under test is the published JavaScript, and its own imports of
 *   `@opentelemetry/*` resolve to this folder's 3.x packages;
 * - every package this folder depends on resolves here (`dedupe`), not to
 *   the root's 2.x node_modules;
 * - `@opentelemetry/sdk-trace-base` and `-node` (2.x names) resolve to
 *   `otel-sdk.mjs`, which builds them from the 3.x `@opentelemetry/sdk-trace`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { EXCLUDED, SUITES } from './suites.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SRC = join(ROOT, 'src') + sep;
const DIST = join(HERE, 'node_modules', 'otel-genai-cost', 'dist', 'esm') + sep;
const { dependencies } = JSON.parse(
  readFileSync(join(HERE, 'package.json'), 'utf8'),
);

/** `../../src/x.js` from a test file: the installed `dist/esm/x.js`. */
const sourceToDist = {
  name: 'otel-genai-cost-source-to-dist',
  enforce: 'pre',
  resolveId(source, importer) {
    if (importer === undefined || !source.startsWith('.')) return null;
    const target = resolve(dirname(importer.split('?')[0]), source);
    if (!target.startsWith(SRC)) return null;
    return DIST + target.slice(SRC.length).replace(/\.ts$/, '.js');
  },
};

/**
 * A package a test imports that this folder lacks would silently come from
 * the root's node_modules (the 2.x line): refused, naming it.
 */
const ROOT_MODULES = join(ROOT, 'node_modules') + sep;
const noRootPackages = {
  name: 'otel-genai-cost-no-root-packages',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (importer === undefined || !/^[@a-z]/i.test(source)) return null;
    if (source.startsWith('node:')) return null;
    const resolved = await this.resolve(source, importer, {
      ...options,
      skipSelf: true,
    });
    if (resolved?.id.startsWith(ROOT_MODULES)) {
      this.error(
        `${source} (imported by ${importer}) resolves to the root's node_modules: add it to test/otel-v3/package.json`,
      );
    }
    return resolved;
  },
};

export default defineConfig({
  root: HERE,
  plugins: [sourceToDist, noRootPackages],
  resolve: {
    alias: [
      {
        find: /^@opentelemetry\/sdk-trace-(base|node)$/,
        replacement: join(HERE, 'otel-sdk.mjs'),
      },
    ],
    dedupe: Object.keys(dependencies),
  },
  server: { fs: { allow: [ROOT] } },
  test: {
    dir: ROOT,
    include: SUITES,
    exclude: ['**/node_modules/**', ...EXCLUDED],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
