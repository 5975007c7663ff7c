import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` in constant time (both sides are
 * hashed first, so lengths do not leak either). With no token configured
 * every request passes.
 */
export class BearerToken {
  private readonly _digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this._digest = token === undefined ? undefined : digest(token);
  }

  get required(): boolean {
    return this._digest !== undefined;
  }

  accepts(authorization: string | undefined): boolean {
    if (this._digest === undefined) return true;
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    if (match === null) return false;
    return timingSafeEqual(digest(match[1] ?? ''), this._digest);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
