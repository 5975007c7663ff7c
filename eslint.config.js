import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Layering (see ARCHITECTURE.md): the core and the pipeline are SDK-free and
 * know no shell; shells do not import each other; only `src/sdk/`,
 * the processor and the exporter wrapper touch SDK span objects.
 */
const SHELLS = ['processor', 'exporter', 'gateway', 'cli', 'manual'];
/** Building blocks shells share, which import no shell themselves. */
const SHARED = ['attribution', 'metrics', 'config', 'price-data', 'ledger'];
const SDK_PACKAGES = {
  regex: '^(@opentelemetry/(sdk-|core$|resources$|exporter-)|protobufjs)',
  message:
    'The core and the pipeline import no SDK (adapt it in src/sdk or a shell).',
};
const NODE_IO = {
  regex:
    '^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|child_process|cluster|worker_threads|zlib|stream|readline|os|process)$',
  message:
    'The core and the pipeline do no I/O: shells own files, sockets and timers.',
};
/** An import of one of `folders` (relative, from any depth). */
const folders = (names, message) => ({
  regex: `(^|/)(${names.join('|')})/`,
  message,
});
/**
 * The options files of the processor are the settings the exporter wrapper
 * and the gateway share (configuration, not the shell).
 */
const shellsExceptOptions = (names, message) => ({
  regex: `(^|/)(${names.join('|')})/(?!.*-options\\.js$)`,
  message,
});
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const noShell =
  'Shells do not import each other: share through src/pipeline, src/core or src/sdk.';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'proto/**',
      'coverage/**',
      // What Next.js writes when test/frameworks/next-route-handler.test.ts runs.
      'test/frameworks/next-app/.next/**',
      'test/frameworks/next-app/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: 'List exports explicitly.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Type-aware: a promise nobody awaits hides its rejection.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  restrict(
    ['src/core/**/*.ts'],
    [
      folders(
        [...SHELLS, ...SHARED, 'sdk', 'pipeline', 'outputs'],
        'The core imports only the core (and semconv).',
      ),
      SDK_PACKAGES,
      NODE_IO,
    ],
  ),
  restrict(
    ['src/pipeline/**/*.ts', 'src/outputs/**/*.ts'],
    [
      folders(
        [...SHELLS, ...SHARED, 'sdk'],
        'The pipeline and the outputs import only the core, the outputs and the pipeline.',
      ),
      SDK_PACKAGES,
      NODE_IO,
    ],
  ),
  restrict(
    ['src/sdk/**/*.ts'],
    [
      folders(
        [...SHELLS, 'pipeline'],
        'SDK adapters serve the shells; they import no shell.',
      ),
    ],
  ),
  restrict(
    [
      'src/attribution/**/*.ts',
      'src/metrics/**/*.ts',
      'src/config/**/*.ts',
      'src/price-data/**/*.ts',
      'src/ledger/**/*.ts',
    ],
    [
      folders(
        [...SHELLS, 'sdk', 'pipeline'],
        'Shared building blocks import no shell.',
      ),
    ],
  ),
  restrict(
    ['src/processor/**/*.ts'],
    [folders(['exporter', 'gateway', 'cli', 'manual'], noShell)],
  ),
  restrict(
    ['src/exporter/**/*.ts'],
    [
      shellsExceptOptions(['processor'], noShell),
      folders(['gateway', 'cli', 'manual'], noShell),
    ],
  ),
  restrict(
    ['src/manual/**/*.ts'],
    [folders(['processor', 'exporter', 'gateway', 'cli', 'sdk'], noShell)],
  ),
  restrict(
    ['src/gateway/**/*.ts'],
    [
      shellsExceptOptions(['processor'], noShell),
      folders(['exporter', 'cli', 'manual', 'sdk', 'attribution'], noShell),
      {
        regex: '^@opentelemetry/sdk-trace',
        message:
          'The gateway reads decoded OTLP spans, never SDK span objects.',
      },
    ],
  ),
  restrict(
    ['src/cli/**/*.ts'],
    [
      folders(
        ['processor', 'exporter', 'manual', 'sdk'],
        'The CLI launches the gateway and prices; it imports no other shell.',
      ),
    ],
  ),
);
