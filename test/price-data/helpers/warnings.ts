/** Collects `diag.warn` messages for one test. */
import { diag, DiagLogLevel } from '@opentelemetry/api';

export function captureWarnings(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const ignore = (): void => undefined;
  diag.setLogger(
    {
      error: ignore,
      warn: (message: string) => messages.push(message),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { messages, stop: () => diag.disable() };
}
