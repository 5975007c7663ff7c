/**
 * Next.js `instrumentation.ts` (project root or `src/`). Next calls
 * `register()` once per server runtime; the Node.js runtime gets the
 * registration from `vercel-otel.ts`. The Edge runtime has no
 * AsyncLocalStorage-backed context here, so only Node.js routes are
 * attributed.
 *
 * Runs in this repo, against a local OTLP receiver:
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
export async function register(): Promise<void> {
  if (process.env['NEXT_RUNTIME'] === 'nodejs') {
    const { registerTelemetry } = await import('./vercel-otel.js');
    registerTelemetry();
  }
}
