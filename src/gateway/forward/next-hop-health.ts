/**
 * Whether the next hop is known to be down. After a retryable failure the
 * gateway answers 503 at once, without reading or forwarding, until the
 * retry delay is over; the first request after it probes the next hop.
 */
export class NextHopHealth {
  private _downUntilMillis = 0;
  private _lastError: string | undefined;

  markDown(nowMillis: number, seconds: number, reason: string): void {
    this._downUntilMillis = Math.max(
      this._downUntilMillis,
      nowMillis + seconds * 1000,
    );
    this._lastError = reason;
  }

  markUp(): void {
    this._downUntilMillis = 0;
    this._lastError = undefined;
  }

  /** Seconds until the next attempt (at least 1), or undefined when up. */
  retryAfterSeconds(nowMillis: number): number | undefined {
    const remaining = this._downUntilMillis - nowMillis;
    return remaining > 0 ? Math.max(1, Math.ceil(remaining / 1000)) : undefined;
  }

  get lastError(): string | undefined {
    return this._lastError;
  }
}
