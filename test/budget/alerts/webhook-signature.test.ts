import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertEvent,
  alertEventId,
} from '../../../src/budget/alerts/alert-payload.js';
import {
  isRetryableStatus,
  retryAfterMillis,
  retryDelayMillis,
} from '../../../src/budget/alerts/retry-policy.js';
import {
  signBudgetWebhook,
  verifyBudgetWebhook,
} from '../../../src/budget/alerts/webhook-signature.js';
import { alertOf } from './alert-fixtures.js';
import { signatureMatches } from './webhook-receiver.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const secretArb = fc.string({ minLength: 1, maxLength: 64 });
const bodyArb = fc.string({ maxLength: 500, unit: 'grapheme' });

describe('signature', () => {
  it('matches an independent HMAC-SHA256 over "<t>.<body>" (hex) for any secret and body', () => {
    fc.assert(
      fc.property(
        secretArb,
        bodyArb,
        fc.integer({ min: 0, max: 2 ** 40 }),
        (secret, body, t) => {
          const expected = createHmac('sha256', secret)
            .update(`${t}.${body}`, 'utf8')
            .digest('hex');
          expect(signBudgetWebhook(secret, body, t)).toBe(
            `t=${t},v1=${expected}`,
          );
        },
      ),
    );
    // And the test receiver accepts what the sender signs now.
    const header = signBudgetWebhook('s3cret', '{"a":1}', Date.now() / 1000);
    expect(signatureMatches('s3cret', '{"a":1}', header).ok).toBe(true);
  });

  it('verifies its own signature, as text or bytes, and rejects any changed byte, another secret, a stale or future timestamp', () => {
    fc.assert(
      fc.property(
        secretArb,
        secretArb,
        bodyArb.filter(body => body.length > 0),
        fc.nat(),
        fc.integer({ min: -300, max: 300 }),
        (secret, other, body, position, skew) => {
          const t = NOW / 1000 + skew;
          const signature = signBudgetWebhook(secret, body, t);
          const ok = (b: string | Uint8Array, s = secret, at = NOW) =>
            verifyBudgetWebhook({
              body: b,
              signature,
              secret: s,
              nowMillis: at,
            });
          expect(ok(body)).toBe(true);
          expect(ok(Buffer.from(body, 'utf8'))).toBe(true);
          const bytes = Buffer.from(body, 'utf8');
          const i = position % bytes.length;
          bytes[i] = (bytes[i] as number) ^ 0x01;
          expect(ok(bytes)).toBe(false);
          if (other !== secret) expect(ok(body, other)).toBe(false);
          // Rotating: the new secret first, the old one still accepted.
          expect(
            verifyBudgetWebhook({
              body,
              signature,
              secret: ['new-one', secret],
              nowMillis: NOW,
            }),
          ).toBe(true);
          // 5 minutes is the default tolerance, either way.
          // (signed at t = NOW + skew s: checked 301 s after and before t)
          expect(ok(body, secret, NOW + (skew + 301) * 1000)).toBe(false);
          expect(ok(body, secret, NOW + (skew - 301) * 1000)).toBe(false);
          expect(ok(body, secret, NOW + (skew + 299) * 1000)).toBe(true);
        },
      ),
    );
  });

  it('rejects missing and malformed headers, and an empty secret', () => {
    const body = '{"id":"x"}';
    const good = signBudgetWebhook('k', body, NOW / 1000);
    const v1 = good.split('v1=')[1];
    for (const signature of [
      undefined,
      null,
      '',
      'garbage',
      `v1=${v1}`,
      `t=${NOW / 1000}`,
      `t=${NOW / 1000},v1=${v1?.slice(0, 63)}`,
      `t=${NOW / 1000},v0=${v1}`,
      `t=abc,v1=${v1}`,
    ]) {
      expect(
        verifyBudgetWebhook({ body, signature, secret: 'k', nowMillis: NOW }),
        String(signature),
      ).toBe(false);
    }
    expect(
      verifyBudgetWebhook({
        body,
        signature: good,
        secret: '',
        nowMillis: NOW,
      }),
    ).toBe(false);
    expect(
      verifyBudgetWebhook({
        body,
        signature: [good],
        secret: 'k',
        nowMillis: NOW,
      }),
    ).toBe(true);
  });
});

describe('event id', () => {
  const alertArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 20 }),
    threshold: fc.constantFrom(0.5, 0.8, 0.9, 1),
    day: fc.integer({ min: 0, max: 400 }),
    scope: fc.constantFrom('user' as const, 'tenant' as const, 'plan' as const),
  });
  const build = (a: {
    id: string;
    threshold: number;
    day: number;
    scope: 'user' | 'tenant' | 'plan';
  }) =>
    alertOf({
      id: a.id,
      scope: a.scope,
      budget: { scope: a.scope, limitUsd: 10, window: 'day' },
      threshold: a.threshold,
      windowStart: new Date(Date.UTC(2026, 0, 1) + a.day * 86_400_000),
      windowEnd: new Date(Date.UTC(2026, 0, 2) + a.day * 86_400_000),
    });

  it('is the same for the same budget, subject, window and threshold, whatever the spend or firing time, and differs otherwise', () => {
    fc.assert(
      fc.property(
        fc.array(alertArb, { minLength: 2, maxLength: 30 }),
        alerts => {
          const byKey = new Map<string, string>();
          const ids = new Set<string>();
          for (const a of alerts) {
            const key = JSON.stringify([a.id, a.threshold, a.day, a.scope]);
            const id = alertEventId(build(a));
            expect(alertEventId({ ...build(a), spentUsd: 99 })).toBe(id);
            expect(alertEvent(build(a), NOW).id).toBe(id);
            expect(alertEvent(build(a), NOW + 5000).id).toBe(id);
            if (byKey.has(key)) expect(byKey.get(key)).toBe(id);
            else {
              expect(ids.has(id)).toBe(false);
              ids.add(id);
              byKey.set(key, id);
            }
          }
        },
      ),
    );
  });

  it('the body round-trips through JSON with the alert’s numbers and ISO dates', () => {
    fc.assert(
      fc.property(
        alertArb,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (a, spent) => {
          const alert = { ...build(a), spentUsd: spent };
          const event = JSON.parse(
            JSON.stringify(alertEvent(alert, NOW)),
          ) as Record<string, unknown>;
          expect(event['spentUsd']).toBe(spent);
          expect(event['subjectId']).toBe(a.id);
          expect(event['windowStart']).toBe(alert.windowStart.toISOString());
          expect(event['createdAt']).toBe(new Date(NOW).toISOString());
        },
      ),
    );
  });
});

describe('retry policy', () => {
  it('waits between half and all of min(max, initial * 2^(n-1)), or the receiver’s Retry-After up to max', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
        (attempt, initial, extra, random, retryAfter) => {
          const options = {
            initialBackoffMillis: initial,
            maxBackoffMillis: initial + extra,
          };
          const ceiling = Math.min(
            initial + extra,
            initial * 2 ** (attempt - 1),
          );
          const delay = retryDelayMillis(
            attempt,
            options,
            () => random,
            retryAfter,
          );
          const floor = Math.max(
            ceiling / 2,
            Math.min(retryAfter ?? 0, initial + extra),
          );
          expect(delay).toBeGreaterThanOrEqual(Math.floor(floor));
          expect(delay).toBeLessThanOrEqual(
            Math.ceil(
              Math.max(ceiling, Math.min(retryAfter ?? 0, initial + extra)),
            ),
          );
          expect(delay).toBeLessThanOrEqual(initial + extra);
        },
      ),
    );
  });

  it('retries 408, 425, 429 and 5xx only; reads Retry-After as seconds or a date', () => {
    expect(
      [200, 204, 301, 400, 401, 404, 410, 422].filter(isRetryableStatus),
    ).toEqual([]);
    expect([408, 425, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(
      true,
    );
    expect(retryAfterMillis('7', NOW)).toBe(7000);
    expect(retryAfterMillis(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(
      30_000,
    );
    expect(retryAfterMillis('soon', NOW)).toBeUndefined();
    expect(retryAfterMillis(undefined, NOW)).toBeUndefined();
  });
});
