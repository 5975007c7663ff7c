import { describe, expect, it } from 'vitest';
import { containsEmail } from '../../src/core/identity/identity-policy.js';
import {
  IdentityPolicy,
  REDACTED_EMAIL,
  scrubIdentityAttributes,
  UNATTRIBUTED,
} from '../../src/entries/core.js';

/** RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?"). */
const RFC4231_CASE_2 =
  '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

describe('IdentityPolicy.resolve', () => {
  it('merges explicit > span > ancestors per key and reports the top contributing source', () => {
    const policy = new IdentityPolicy();
    const identity = policy.resolve({
      explicit: { tenantId: 'acme' },
      own: { userId: 'u-span', tenantId: 'ignored' },
      ancestors: { userId: 'u-ancestor', sessionId: 's-ancestor' },
    });
    expect(identity).toMatchObject({
      userId: 'u-span',
      tenantId: 'acme',
      sessionId: 's-ancestor',
      source: 'context',
    });
    expect(policy.resolve({ ancestors: { userId: 'a' } }).source).toBe(
      'ancestor',
    );
    expect(policy.resolve({ own: { userId: 'a' } }).source).toBe('span');
    expect(
      policy.resolve({ explicit: { userId: 'a' }, explicitSource: 'manual' })
        .source,
    ).toBe('manual');
  });

  it('gives the explicit unattributed bucket when nothing allowed is found', () => {
    const policy = new IdentityPolicy();
    expect(policy.resolve({})).toBe(UNATTRIBUTED);
    expect(policy.resolve({ explicit: { region: 'eu' } })).toBe(UNATTRIBUTED);
    expect(UNATTRIBUTED.source).toBe('none');
  });

  it('keeps only the well-known tags plus the listed ones', () => {
    const policy = new IdentityPolicy({ tagKeys: ['region', 'user_tier'] });
    const identity = policy.resolve({
      explicit: { userId: 'u', region: 'eu', secret: 'x', user_tier: 'gold' },
    });
    expect(identity.tags).toEqual({
      userId: 'u',
      region: 'eu',
      user_tier: 'gold',
    });
  });

  it('caps values at maxValueLength (default 128)', () => {
    const long = 'x'.repeat(500);
    expect(
      new IdentityPolicy().resolve({ explicit: { feature: long } }).feature,
    ).toBe('x'.repeat(128));
    expect(
      new IdentityPolicy({ maxValueLength: 8 }).resolve({
        explicit: { feature: long },
      }).feature,
    ).toBe('x'.repeat(8));
  });

  it('pseudonymizes userId with HMAC-SHA256 (RFC 4231 vector), deterministically', () => {
    const policy = new IdentityPolicy({ hmacSecret: 'Jefe' });
    const identity = policy.resolve({
      explicit: { userId: 'what do ya want for nothing?', tenantId: 'acme' },
    });
    expect(identity.userId).toBe(`hmac:${RFC4231_CASE_2.slice(0, 32)}`);
    expect(identity.tenantId).toBe('acme');
    expect(
      policy.resolve({ own: { userId: 'what do ya want for nothing?' } })
        .userId,
    ).toBe(identity.userId);
  });

  it('pseudonymizes other keys on request, and is idempotent on pseudonyms', () => {
    const policy = new IdentityPolicy({
      hmacSecret: 's',
      pseudonymizeKeys: ['userId', 'tenantId'],
    });
    const first = policy.resolve({ explicit: { userId: 'u', tenantId: 't' } });
    expect(first.tenantId).toMatch(/^hmac:[0-9a-f]{32}$/);
    const again = policy.resolve({
      own: {
        userId: first.userId as string,
        tenantId: first.tenantId as string,
      },
    });
    expect(again.userId).toBe(first.userId);
    expect(again.tenantId).toBe(first.tenantId);
  });

  it('never writes an e-mail raw: pseudonym with a secret, redacted-email without', () => {
    let warnings = 0;
    const noSecret = new IdentityPolicy({
      onEmailRedacted: () => (warnings += 1),
    });
    const redacted = noSecret.resolve({
      explicit: {
        userId: 'Alice@Example.com',
        feature: 'mail alice@example.com',
      },
    });
    expect(redacted.userId).toBe(REDACTED_EMAIL);
    expect(redacted.feature).toBe(REDACTED_EMAIL);
    expect(warnings).toBe(2);
    const withSecret = new IdentityPolicy({
      hmacSecret: 'k',
      pseudonymizeKeys: [],
    });
    expect(
      withSecret.resolve({ explicit: { sessionId: 'bob@example.org' } })
        .sessionId,
    ).toMatch(/^hmac:[0-9a-f]{32}$/);
    const allowed = new IdentityPolicy({ allowRawEmail: true });
    expect(
      allowed.resolve({ explicit: { userId: 'bob@example.org' } }).userId,
    ).toBe('bob@example.org');
  });

  it('leaves userId raw when no secret is set (pseudonymization is opt-in)', () => {
    expect(
      new IdentityPolicy().resolve({ explicit: { userId: 'u-1' } }).userId,
    ).toBe('u-1');
  });
});

describe('scrubIdentityAttributes', () => {
  it('rewrites every identity source attribute that carries a protected value', () => {
    const policy = new IdentityPolicy({ hmacSecret: 'k' });
    const pseudonym = policy.pseudonym('user-7');
    const emailPseudonym = policy.pseudonym('carol@example.com');
    const update = scrubIdentityAttributes(
      {
        'user.id': 'user-7',
        'langfuse.user.id': 'user-7',
        'ai.telemetry.metadata.userId': 'user-7',
        'ai.settings.context.userId': 'user-7',
        'ai.telemetry.metadata.contact': 'carol@example.com',
        'traceloop.association.properties.tenant_id': 'acme',
        metadata: JSON.stringify({
          userId: 'user-7',
          nested: { email: 'carol@example.com' },
          n: 1,
        }),
        'gen_ai.input.messages': 'not identity: left alone',
      },
      policy,
    );
    expect(update).toEqual({
      'user.id': pseudonym,
      'langfuse.user.id': pseudonym,
      'ai.telemetry.metadata.userId': pseudonym,
      'ai.settings.context.userId': pseudonym,
      'ai.telemetry.metadata.contact': emailPseudonym,
      metadata: JSON.stringify({
        userId: pseudonym,
        nested: { email: emailPseudonym },
        n: 1,
      }),
    });
  });

  it('returns undefined when nothing must change', () => {
    const policy = new IdentityPolicy();
    expect(
      scrubIdentityAttributes({ 'user.id': 'u', 'http.method': 'GET' }, policy),
    ).toBeUndefined();
    expect(scrubIdentityAttributes({ 'user.id': 'a@b.co' }, policy)).toEqual({
      'user.id': REDACTED_EMAIL,
    });
  });
});

describe('containsEmail', () => {
  const reference = /[^\s@]+@[^\s@]+\.[^\s@]+/;
  it.each([
    ['alice@example.com', true],
    ['Mail: alice@example.com, thanks', true],
    ['a@b.c', true],
    ['a@.b.c', true],
    ['a@b.', false],
    ['a@.b', false],
    ['@example.com', false],
    ['alice@localhost', false],
    ['alice @example.com', false],
    ['user-42', false],
    ['hmac:0123456789abcdef0123456789abcdef', false],
  ])('%s -> %s (same as the reference regex)', (value, expected) => {
    expect(containsEmail(value)).toBe(expected);
    expect(reference.test(value)).toBe(expected);
  });

  it('stays linear on long values the regex would backtrack on', () => {
    const hostile = `${'a'.repeat(200_000)}@${'b'.repeat(200_000)}`;
    expect(containsEmail(hostile)).toBe(false);
    expect(containsEmail(`${hostile}.c`)).toBe(true);
  });
});
