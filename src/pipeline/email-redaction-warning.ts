import { diag } from '@opentelemetry/api';

/**
 * The `diag` warning given the first time an e-mail address in attribution
 * is replaced by `redacted-email` (once per pipeline, whatever the shell).
 */
export class EmailRedactionWarning {
  private _warned = false;

  /** Whether the warning was given. */
  get warned(): boolean {
    return this._warned;
  }

  readonly warn = (): void => {
    if (this._warned) return;
    this._warned = true;
    diag.warn(
      'otel-genai-cost: an e-mail address in attribution was replaced by "redacted-email". ' +
        'Set OTEL_GENAI_COST_HMAC_SECRET (or hmacSecret) to pseudonymize it instead, ' +
        'or allowRawEmail: true to keep it.',
    );
  };
}
