import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `otel-genai-cost` and its subpaths resolve to src/ through the `paths`
  // of tsconfig.json (the examples import the package by name).
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
