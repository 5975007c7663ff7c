/**
 * `identityKeysOf` lists the keys of a plain attribute object whose key
 * count the caller knows (an SDK span's `_attributesCount`: the processor's
 * own span through the open key scan, the identity store's ancestors) with
 * `for...in` up to 16 keys, and with `Object.keys` otherwise. Against the
 * code it replaced (reference/read-span-identity.ts, `Object.keys` always):
 * the same keys in the same order and the same tags, for any count (right,
 * wrong or none), on small (fast-mode) and large (dictionary-mode) objects
 * built one key at a time as the SDK builds them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closeIdentityKeyScan,
  openIdentityKeyScan,
} from '../../../src/core/identity/identity-key-scan.js';
import {
  identityKeysOf,
  readPlainSpanIdentity,
  readSpanIdentity,
} from '../../../src/core/identity/read-span-identity.js';
import type { SpanAttributes } from '../../../src/core/span-like.js';
import {
  identityKeysOf as referenceIdentityKeysOf,
  readSpanIdentity as referenceReadSpanIdentity,
} from './reference/read-span-identity.js';

const KEYS = [
  'user.id',
  'session.id',
  'tenant.id',
  'app.plan',
  'app.feature',
  'user.email',
  'langfuse.user.id',
  'langfuse.session.id',
  'enduser.id',
  'gen_ai.conversation.id',
  'langfuse.observation.metadata',
  'langfuse.trace.metadata',
  'metadata',
  'langfuse.trace.tags',
  'tag.tags',
  'app.tag.team',
  'app.tag.Cost-Center',
  'ai.telemetry.metadata.userId',
  'ai.telemetry.metadata.tenant_id',
  'ai.settings.context.plan',
  'traceloop.association.properties.user_id',
  'metadata.session_id',
  'langfuse.observation.metadata.feature',
  'gen_ai.operation.name',
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.response.id',
  'ai.usage.promptTokens',
  'ai.model.id',
  'llm.model_name',
  'http.request.method',
  'server.address',
  'url.full',
  'user',
  'app',
  'u',
  '',
  '0',
  '17',
];

const value = fc.oneof(
  fc.constantFrom('alice', 'bob@example.com', '', 'team-a'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.constantFrom('x', 'carol@example.com', 'y'), { maxLength: 3 }),
  fc.constantFrom(
    '{"userId":"u1","tenantId":"t1"}',
    '{"user":{"id":"u2"},"session_id":"s1"}',
    '{"email":"dave@example.com"}',
    '[1,2]',
    '{bad',
  ),
);

const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 }))
      .map(([k, tail]) => k + tail),
  },
);

/** Entries set one by one, as an SDK span sets its attributes. */
const entries = fc.array(fc.tuple(key, value), { maxLength: 40 });

function build(list: readonly (readonly [string, unknown])[]): SpanAttributes {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of list) {
    if (k === '__proto__') continue;
    attributes[k] = v;
  }
  return attributes as SpanAttributes;
}

const count = (attributes: SpanAttributes) =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant(Object.keys(attributes).length),
    fc.integer({ min: 0, max: 40 }),
  );

describe('identityKeysOf with a key count (property)', () => {
  it('lists the same keys and reads the same tags as Object.keys always did', () => {
    fc.assert(
      fc.property(
        entries.chain(list => {
          const attributes = build(list);
          return fc.tuple(fc.constant(attributes), count(attributes));
        }),
        ([attributes, keyCount]) => {
          const expectedKeys = referenceIdentityKeysOf(attributes);
          const expectedTags = referenceReadSpanIdentity(attributes);
          expect(identityKeysOf(attributes, keyCount)).toEqual(expectedKeys);
          expect(readPlainSpanIdentity(attributes, keyCount)).toEqual(
            expectedTags,
          );
          expect(readSpanIdentity(attributes)).toEqual(expectedTags);
          // Through the open scan (the pipeline's evaluation): the first
          // pass uses the scan's count, the next ones its keys.
          openIdentityKeyScan(attributes, keyCount);
          try {
            expect(identityKeysOf(attributes)).toEqual(expectedKeys);
            expect(readSpanIdentity(attributes)).toEqual(expectedTags);
            expect(identityKeysOf(attributes)).toEqual(expectedKeys);
          } finally {
            closeIdentityKeyScan();
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives another object of the open scan no count', () => {
    const small = build([
      ['user.id', 'u1'],
      ['http.request.method', 'GET'],
    ]);
    const other = build([
      ['tenant.id', 't1'],
      ['session.id', 's1'],
    ]);
    openIdentityKeyScan(small, 2);
    try {
      expect(identityKeysOf(other)).toEqual(referenceIdentityKeysOf(other));
      expect(identityKeysOf(small)).toEqual(['user.id']);
    } finally {
      closeIdentityKeyScan();
    }
  });
});
