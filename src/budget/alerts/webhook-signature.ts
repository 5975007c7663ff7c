import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature header of a budget alert webhook:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
 * (the scheme Stripe uses). The timestamp is signed with the body, so a
 * captured request cannot be replayed once it is older than the receiver's
 * tolerance.
 */
export const BUDGET_WEBHOOK_SIGNATURE_HEADER = 'x-otel-genai-cost-signature';

/** The alert's event id again (also the body's `id`): dedupe retries on it. */
export const BUDGET_WEBHOOK_EVENT_ID_HEADER = 'x-otel-genai-cost-event-id';

/** How old a signed request may be by default when verified (5 minutes). */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, signedText: Buffer): string =>
  createHmac('sha256', secret).update(signedText).digest('hex');

const bytesOf = (body: string | Uint8Array): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);

const signedText = (timestamp: number, body: string | Uint8Array): Buffer =>
  Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), bytesOf(body)]);

/** The signature header's value for `body` sent at `timestampSeconds`. */
export function signBudgetWebhook(
  secret: string,
  body: string | Uint8Array,
  timestampSeconds: number,
): string {
  const t = Math.floor(timestampSeconds);
  return `t=${t},v1=${hmacHex(secret, signedText(t, body))}`;
}

export interface VerifyBudgetWebhookOptions {
  /** The request body exactly as received (raw bytes or text, not re-serialized JSON). */
  readonly body: string | Uint8Array;
  /** The `x-otel-genai-cost-signature` header (undefined when missing). */
  readonly signature: string | readonly string[] | null | undefined;
  /** The shared secret; a list while you rotate it (any one may match). */
  readonly secret: string | readonly string[];
  /** Largest age of the signed timestamp, either way. @defaultValue 300 */
  readonly toleranceSeconds?: number;
  /** The receiver's clock. @defaultValue Date.now() */
  readonly nowMillis?: number;
}

/**
 * True when the header signs this exact body with one of the secrets, at a
 * time within `toleranceSeconds` of now. Compares in constant time. Reject
 * the request (e.g. 400) otherwise; dedupe accepted ones on the body's `id`.
 *
 * @example
 * app.post('/budget-alerts', express.raw({ type: 'application/json' }), (req, res) => {
 *   const ok = verifyBudgetWebhook({
 *     body: req.body, signature: req.get('x-otel-genai-cost-signature'), secret,
 *   });
 *   if (!ok) return res.sendStatus(400);
 *   const event = JSON.parse(req.body.toString('utf8'));
 *   // ... once per event.id
 *   res.sendStatus(204);
 * });
 */
export function verifyBudgetWebhook(
  options: VerifyBudgetWebhookOptions,
): boolean {
  const header = Array.isArray(options.signature)
    ? options.signature[0]
    : options.signature;
  if (typeof header !== 'string') return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,15}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value))
      candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  const tolerance =
    options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = (options.nowMillis ?? Date.now()) / 1000;
  if (!(Math.abs(nowSeconds - timestamp) <= tolerance)) return false;
  const text = signedText(timestamp, options.body);
  const secrets =
    typeof options.secret === 'string' ? [options.secret] : options.secret;
  let matched = false;
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret === '') continue;
    const expected = Buffer.from(hmacHex(secret, text), 'hex');
    for (const candidate of candidates) {
      // Every pair is compared (no early exit), each in constant time.
      if (timingSafeEqual(expected, Buffer.from(candidate, 'hex')))
        matched = true;
    }
  }
  return matched;
}
