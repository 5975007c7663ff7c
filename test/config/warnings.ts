import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** Runs `run` with a diag logger that records warnings; returns them. */
export function warningsOf(run: () => void): string[] {
  const warnings: string[] = [];
  const ignore = (): void => {};
  const logger: DiagLogger = {
    error: ignore,
    warn: message => warnings.push(message),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  try {
    run();
  } finally {
    diag.disable();
  }
  return warnings;
}
