/**
 * The suites that touch the tracing or metrics SDK, run on 3.x (paths from
 * the repository root).
 */
export const SUITES = [
  'test/otel-v3/specs/**/*.spec.ts',
  'test/processor/**/*.test.ts',
  'test/exporter/cost-enriching-span-exporter.test.ts',
  'test/metrics/**/*.test.ts',
  'test/attribution/**/*.test.ts',
  'test/sampling/**/*.test.ts',
  'test/integration/ai-sdk.test.ts',
  'test/integration/ai-sdk-v7-usage.test.ts',
  'test/integration/openai-contrib.test.ts',
  'test/gateway/**/*.test.ts',
];

/**
 * Left out:
 * - `@vercel/otel` 2.1.3 (the latest) peers on the 2.x SDK and API and
 *   bundles sdk-trace-base 2.1; it is not installed here (resolved from the
 *   root, it registers through API 1.9, which the 3.x line's API 1.10
 *   refuses to use).
 * - The LangChain stacked attacks: `nestedOpenAI()`
 *   (test/integration/langchain-scenario.ts) finds `@langchain/openai`'s
 *   `openai` through a require rooted at the repository, so here it would
 *   patch the root's copy, not this folder's.
 * - The missing-@grpc/grpc-js test: its `vi.mock('@grpc/grpc-js')` names
 *   the bare package, which this folder's resolver maps to its own copy
 *   first, so the mock never applies here (the same test runs on 2.x).
 */
export const EXCLUDED = [
  'test/**/vercel-otel*.test.ts',
  'test/processor/stacked-attack-retry.test.ts',
  'test/processor/stacked-attack-users.test.ts',
  'test/gateway/grpc/grpc-missing-package.test.ts',
];
