import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * What NodeSDK installs; `withAttribution` needs it. Spans in the benchmark
 * get their parent context explicitly, so this costs nothing per span.
 */
export function installContextManager(): void {
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
}
