/**
 * One pass over a span's keys serves both identity reads of an evaluation
 * (`identity-key-scan`, issue 15). While a scan is open, reading and
 * scrubbing answer exactly what they answer without it; for another object
 * or once closed, nothing found in the scan is reused (a key added after
 * the scan is read and scrubbed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closeIdentityKeyScan,
  openIdentityKeyScan,
} from '../../src/core/identity/identity-key-scan.js';
import { IdentityPolicy } from '../../src/core/identity/identity-policy.js';
import {
  identityKeysOf,
  readSpanIdentity,
} from '../../src/core/identity/read-span-identity.js';
import { scrubIdentityAttributes } from '../../src/core/identity/scrub-identity-attributes.js';
import type { SpanAttributes } from '../../src/core/span-like.js';

const KEY = fc.constantFrom(
  'user.id',
  'session.id',
  'tenant.id',
  'user.email',
  'enduser.id',
  'gen_ai.conversation.id',
  'langfuse.user.id',
  'langfuse.trace.tags',
  'tag.tags',
  'metadata',
  'langfuse.observation.metadata',
  'ai.telemetry.metadata.userId',
  'ai.settings.context.tenant',
  'traceloop.association.properties.user_id',
  'app.tag.plan',
  'gen_ai.request.model',
  'ai.usage.inputTokens',
  'llm.token_count.prompt',
  'http.route',
);
const VALUE = fc.oneof(
  fc.constantFrom('u1', 'acme', '', ' ', 'a@b.example.com', 'hmac:x'),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constant('{"userId":"u9","email":"c@d.example.com"}'),
  fc.array(fc.constantFrom('x', 'y@z.example.com'), { maxLength: 3 }),
);
/** More than 16 keys puts an object in V8's dictionary mode, as on SDK spans. */
const ATTRIBUTES = fc.dictionary(KEY, VALUE, { maxKeys: 19 }).map(found => {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(found)) attributes[key] = value;
  for (let i = 0; i < 12; i++) attributes[`noise.key_${i}`] = i;
  return attributes as SpanAttributes;
});

const POLICIES = [
  new IdentityPolicy(),
  new IdentityPolicy({ hmacSecret: 'k' }),
  new IdentityPolicy({ allowRawEmail: true, rewriteAllSources: true }),
];

function readBoth(attributes: SpanAttributes, policy: IdentityPolicy) {
  return {
    own: readSpanIdentity(attributes),
    scrubbed: scrubIdentityAttributes(attributes, policy),
  };
}

describe('identity key scan', () => {
  it('reads and scrubs within an open scan exactly as without one', () => {
    fc.assert(
      fc.property(
        ATTRIBUTES,
        fc.constantFrom(...POLICIES),
        (attributes, policy) => {
          const plain = readBoth(attributes, policy);
          openIdentityKeyScan(attributes);
          try {
            const first = readBoth(attributes, policy);
            const again = readBoth(attributes, policy);
            expect(first).toEqual(plain);
            expect(again).toEqual(plain);
          } finally {
            closeIdentityKeyScan();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('another object read during the scan is enumerated itself', () => {
    fc.assert(
      fc.property(ATTRIBUTES, ATTRIBUTES, (scanned, other) => {
        const expected = readSpanIdentity(other);
        openIdentityKeyScan(scanned);
        try {
          readSpanIdentity(scanned);
          expect(readSpanIdentity(other)).toEqual(expected);
          expect(identityKeysOf(other)).toEqual(
            Object.keys(other).filter(
              key => identityKeysOf({ [key]: 1 }).length,
            ),
          );
        } finally {
          closeIdentityKeyScan();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a key added after the scan closed is read and scrubbed', () => {
    const attributes: Record<string, unknown> = { 'gen_ai.system': 'openai' };
    for (let i = 0; i < 20; i++) attributes[`noise.key_${i}`] = i;
    const policy = new IdentityPolicy();
    openIdentityKeyScan(attributes as SpanAttributes);
    expect(readSpanIdentity(attributes as SpanAttributes)).toBeUndefined();
    expect(
      scrubIdentityAttributes(attributes as SpanAttributes, policy),
    ).toBeUndefined();
    closeIdentityKeyScan();
    attributes['user.email'] = 'someone@example.com';
    attributes['user.id'] = 'u1';
    expect(readSpanIdentity(attributes as SpanAttributes)).toEqual({
      email: 'someone@example.com',
      userId: 'u1',
    });
    expect(
      scrubIdentityAttributes(attributes as SpanAttributes, policy),
    ).toEqual({ 'user.email': 'redacted-email' });
  });

  it('a scan opened on another object leaves no keys behind', () => {
    const attributes = { 'user.id': 'u1' } as Record<string, unknown>;
    openIdentityKeyScan(attributes as SpanAttributes);
    expect(identityKeysOf(attributes as SpanAttributes)).toEqual(['user.id']);
    openIdentityKeyScan({});
    attributes['session.id'] = 's1';
    expect(identityKeysOf(attributes as SpanAttributes)).toEqual([
      'user.id',
      'session.id',
    ]);
    closeIdentityKeyScan();
  });
});
