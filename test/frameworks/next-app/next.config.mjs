/**
 * The route imports `otel-genai-cost` from this repository's TypeScript
 * sources (tsconfig `paths`), whose imports end in `.js`: webpack maps them
 * to the `.ts` files (Turbopack does not, hence `webpack: true` in the test).
 */
export default {
  experimental: { extensionAlias: { '.js': ['.ts', '.js'] } },
  logging: { incomingRequests: false },
};
