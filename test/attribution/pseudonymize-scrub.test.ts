/**
 * The privacy scrub of identity source attributes leaves no raw e-mail (and,
 * with a secret, no raw user id) wherever it hides: long JSON (issue 9,
 * case 3: over 65,536 characters it used to pass raw), nesting, arrays,
 * duplicate JSON keys, `\u0040` escapes, e-mails as JSON keys; a bag that
 * cannot be parsed safely is replaced whole.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IdentityPolicy,
  REDACTED_EMAIL,
  scrubIdentityAttributes,
} from '../../src/entries/core.js';
import type { SpanAttributes } from '../../src/core/span-like.js';
import { hiddenValuesArb, leaks } from './pseudonymize-hiding-places.js';

const SECRET = 'scrub-test-secret';
const EMAIL = 'alice.smith@example.com';

/** HMAC-SHA256 computed here, independently of the library. */
function hmac(value: string): string {
  return `hmac:${createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 32)}`;
}

const withSecret = (): IdentityPolicy =>
  new IdentityPolicy({ hmacSecret: SECRET });
const noSecret = (): IdentityPolicy => new IdentityPolicy();

/** The attributes after the scrub (the update applied over the input). */
function scrubbed(
  attributes: SpanAttributes,
  policy: IdentityPolicy,
): Record<string, unknown> {
  return { ...attributes, ...scrubIdentityAttributes(attributes, policy) };
}

describe('JSON metadata of any length', () => {
  for (const padding of [100, 65_536, 200_000, 1_000_000]) {
    it(`pseudonymizes the userId e-mail in a metadata bag padded with ${padding} characters`, () => {
      const metadata = JSON.stringify({
        note: 'n'.repeat(padding),
        userId: EMAIL,
      });
      const out = scrubbed({ metadata }, withSecret());
      const bag = JSON.parse(out['metadata'] as string) as Record<
        string,
        unknown
      >;
      expect(bag['userId']).toBe(hmac(EMAIL));
      expect(bag['note']).toBe('n'.repeat(padding));
      expect(out['metadata']).not.toContain(EMAIL);
    });
  }

  it('replaces a bag over 1 MiB whole, with a secret or when it holds an @', () => {
    const metadata = JSON.stringify({
      note: 'n'.repeat(1_100_000),
      userId: EMAIL,
    });
    for (const policy of [withSecret(), noSecret()]) {
      expect(scrubbed({ metadata }, policy)['metadata']).toBe(
        '{"otel.genai.cost.redacted":"too_large"}',
      );
    }
    // Without a secret, a big bag that cannot hold an e-mail stays as is.
    const harmless = JSON.stringify({ note: 'n'.repeat(1_100_000) });
    expect(
      scrubIdentityAttributes({ metadata: harmless }, noSecret()),
    ).toBeUndefined();
  });

  it('replaces a bag nested deeper than 64 levels whole', () => {
    const deep = `${'['.repeat(70)}"${EMAIL}"${']'.repeat(70)}`;
    const metadata = `{"a":${deep}}`;
    expect(scrubbed({ metadata }, noSecret())['metadata']).toBe(
      '{"otel.genai.cost.redacted":"too_deep"}',
    );
    // 10,000 levels: no stack overflow.
    const deeper = `{"a":${'['.repeat(10_000)}1${']'.repeat(10_000)}}`;
    expect(scrubbed({ metadata: deeper }, withSecret())['metadata']).toBe(
      '{"otel.genai.cost.redacted":"too_deep"}',
    );
  });

  it('rewrites at any depth within the bound, e-mails and user ids', () => {
    const metadata = JSON.stringify({
      a: {
        b: { c: { d: { e: { contact: EMAIL, ctx: { user_id: 'u-deep' } } } } },
      },
    });
    const out = JSON.parse(
      scrubbed({ metadata }, withSecret())['metadata'] as string,
    );
    expect(out.a.b.c.d.e.contact).toBe(hmac(EMAIL));
    expect(out.a.b.c.d.e.ctx.user_id).toBe(hmac('u-deep'));
  });

  it('replaces invalid JSON that may hide a value, keeps harmless invalid JSON', () => {
    const broken = `{"userId":"${EMAIL}"`;
    expect(scrubbed({ metadata: broken }, noSecret())['metadata']).toBe(
      '{"otel.genai.cost.redacted":"invalid_json"}',
    );
    expect(
      scrubbed({ metadata: '{"userId":"u1"' }, withSecret())['metadata'],
    ).toBe('{"otel.genai.cost.redacted":"invalid_json"}');
    expect(
      scrubIdentityAttributes({ metadata: '{"plan":' }, noSecret()),
    ).toBeUndefined();
  });

  it('sees through \\u escapes', () => {
    const metadata =
      '{"contact":"alice.smith\\u0040example.com","USER\\u005fID":"u7"}';
    const out = JSON.parse(
      scrubbed({ metadata }, withSecret())['metadata'] as string,
    );
    expect(out).toEqual({ contact: hmac(EMAIL), USER_ID: hmac('u7') });
    const redacted = JSON.parse(
      scrubbed({ metadata }, noSecret())['metadata'] as string,
    );
    expect(redacted.contact).toBe(REDACTED_EMAIL);
  });

  it('re-serializes a bag with duplicate keys, so no reader can pick the raw one', () => {
    // JSON.parse keeps the last "userId" (already a pseudonym); a reader keeping the first would see u1.
    const metadata = `{"userId":"u1","userId":"${hmac('other')}"}`;
    const out = scrubbed({ metadata }, withSecret())['metadata'] as string;
    expect(out).not.toContain('"u1"');
    expect(JSON.parse(out)).toEqual({ userId: hmac('other') });
    const hidden = `{"note":"${EMAIL}","note":"clean"}`;
    expect(scrubbed({ metadata: hidden }, noSecret())['metadata']).toBe(
      '{"note":"clean"}',
    );
  });

  it('rewrites an e-mail used as a key, and keeps __proto__ an ordinary key', () => {
    const metadata = `{"${EMAIL}":{"visits":3},"__proto__":{"contact":"${EMAIL}"}}`;
    const out = scrubbed({ metadata }, withSecret())['metadata'] as string;
    expect(out).not.toContain(EMAIL);
    expect(JSON.parse(out)).toEqual(
      JSON.parse(
        `{"${hmac(EMAIL)}":{"visits":3},"__proto__":{"contact":"${hmac(EMAIL)}"}}`,
      ),
    );
  });

  it('leaves an unchanged bag byte for byte', () => {
    const metadata = '{ "plan": "pro",  "big": 12345678901234567890 }';
    expect(scrubIdentityAttributes({ metadata }, withSecret())).toBeUndefined();
  });
});

describe('work per attribute is bounded', () => {
  const emails = (n: number): string[] =>
    Array.from({ length: n }, (_, i) => `user${i}@example.com`);

  it('rewrites up to 10,000 values in one bag, and replaces a bag needing more', () => {
    const fits = JSON.stringify({ contacts: emails(10_000) });
    const out = JSON.parse(
      scrubbed({ metadata: fits }, withSecret())['metadata'] as string,
    );
    expect(out.contacts).toHaveLength(10_000);
    expect(out.contacts[9_999]).toBe(hmac('user9999@example.com'));
    const over = JSON.stringify({ contacts: emails(10_001) });
    expect(scrubbed({ metadata: over }, withSecret())['metadata']).toBe(
      '{"otel.genai.cost.redacted":"too_many_values"}',
    );
  });

  it('replaces a list of more than 10,000 elements', () => {
    const out = scrubbed({ 'langfuse.trace.tags': emails(10_001) }, noSecret());
    expect(out['langfuse.trace.tags']).toEqual([
      'otel.genai.cost.redacted:too_many_values',
    ]);
    expect(
      scrubbed({ 'langfuse.trace.tags': emails(10_000) }, noSecret())[
        'langfuse.trace.tags'
      ],
    ).toHaveLength(10_000);
  });
});

describe('arrays', () => {
  it('rewrites each element of identity lists', () => {
    const attributes = {
      'ai.telemetry.metadata.userIds': ['u1', EMAIL],
      'langfuse.trace.tags': ['production', EMAIL],
      'tag.tags': [EMAIL],
      metadata: JSON.stringify({ userIds: ['u2', EMAIL], tags: [EMAIL] }),
    };
    const out = scrubbed(attributes, withSecret());
    expect(out['ai.telemetry.metadata.userIds']).toEqual([
      hmac('u1'),
      hmac(EMAIL),
    ]);
    expect(out['langfuse.trace.tags']).toEqual(['production', hmac(EMAIL)]);
    expect(out['tag.tags']).toEqual([hmac(EMAIL)]);
    expect(JSON.parse(out['metadata'] as string)).toEqual({
      userIds: [hmac('u2'), hmac(EMAIL)],
      tags: [hmac(EMAIL)],
    });
    const redacted = scrubbed(attributes, noSecret());
    expect(redacted['ai.telemetry.metadata.userIds']).toEqual([
      'u1',
      REDACTED_EMAIL,
    ]);
    expect(redacted['langfuse.trace.tags']).toEqual([
      'production',
      REDACTED_EMAIL,
    ]);
  });
});

describe('scope and opt-out', () => {
  it('writes e-mails raw with allowRawEmail and no secret', () => {
    const policy = new IdentityPolicy({ allowRawEmail: true });
    expect(
      scrubIdentityAttributes(
        { 'user.id': EMAIL, metadata: JSON.stringify({ userId: EMAIL }) },
        policy,
      ),
    ).toBeUndefined();
  });

  it('pseudonymizes user ids (not only e-mails) with a secret even with allowRawEmail', () => {
    const policy = new IdentityPolicy({
      hmacSecret: SECRET,
      allowRawEmail: true,
    });
    const out = scrubbed(
      { 'user.id': 'u9', metadata: '{"user":{"id":"u9"}}' },
      policy,
    );
    expect(out['user.id']).toBe(hmac('u9'));
    expect(JSON.parse(out['metadata'] as string)).toEqual({
      user: { id: hmac('u9') },
    });
  });
});

describe('generated hiding places (fast-check)', () => {
  it('with a secret, no raw e-mail or user id survives, escaped or not', () => {
    fc.assert(
      fc.property(hiddenValuesArb, hidden => {
        const out = JSON.stringify(scrubbed(hidden.attributes, withSecret()));
        expect(leaks(out, [...hidden.emails, ...hidden.ids])).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('without a secret, no raw e-mail survives', () => {
    fc.assert(
      fc.property(hiddenValuesArb, hidden => {
        const out = JSON.stringify(scrubbed(hidden.attributes, noSecret()));
        expect(leaks(out, hidden.emails)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('the leak check itself finds escaped and mixed-case copies', () => {
    expect(leaks('{"a":"x ALICE.smith\\\\u0040example.com"}', [EMAIL])).toEqual(
      [EMAIL],
    );
  });
});
