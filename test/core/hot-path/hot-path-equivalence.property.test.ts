/**
 * The processor's hot path keeps memos and skips allocations (issue 15):
 * identity keys answered from a memo, span identity read without a Map,
 * an explicit tag set resolved once, label-set keys built once. Each must
 * answer exactly what the plain computation answers, on generated inputs,
 * including past the memos' bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdentityPolicy } from '../../../src/core/identity/identity-policy.js';
import {
  forEachIdentityEntry,
  identitySourceOf,
  readSpanIdentity,
  type IdentityEntry,
} from '../../../src/core/identity/read-span-identity.js';
import { labelSetKey } from '../../../src/metrics/cost-instruments.js';
import { LabelSetKeys } from '../../../src/metrics/label-set-keys.js';

/** Attribute keys: identity keys of every family, near misses, noise. */
const KEY = fc.oneof(
  fc.constantFrom(
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
    'langfuse.trace.tags',
    'tag.tags',
    'metadata',
    'langfuse.observation.metadata',
    'gen_ai.request.model',
    'gen_ai.usage.input_tokens',
    'server.address',
    'user_agent.original',
    'ai.usage.inputTokens',
    'ai.settings.maxRetries',
  ),
  fc
    .tuple(
      fc.constantFrom(
        'app.tag.',
        'langfuse.observation.metadata.',
        'langfuse.trace.metadata.',
        'ai.telemetry.metadata.',
        'ai.settings.context.',
        'traceloop.association.properties.',
        'metadata.',
        'ai.telemetry.',
        'app.',
        '',
      ),
      fc.constantFrom(
        'userId',
        'user_id',
        'tenant',
        'plan',
        'x',
        'user.id',
        '',
      ),
    )
    .map(([prefix, rest]) => prefix + rest),
  fc.string({ maxLength: 12 }),
);

const VALUE = fc.oneof(
  fc.constantFrom('u1', 'acme', 'pro', '', ' ', 'a@b.example.com'),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constant('{"userId":"u9","tenant":{"id":"t9"}}'),
  fc.array(fc.constantFrom('x', 'y@z.example.com'), { maxLength: 3 }),
);

const ATTRIBUTES = fc.dictionary(KEY, VALUE, { maxKeys: 12 });

/** The reading before the hot-path work: a Map of entries, lowest rank wins. */
function referenceRead(
  attributes: Record<string, unknown>,
): Record<string, string> | undefined {
  const found = new Map<string, IdentityEntry>();
  forEachIdentityEntry(attributes as never, entry => {
    const seen = found.get(entry.tag);
    if (seen === undefined || entry.rank < seen.rank) {
      found.set(entry.tag, entry);
    }
  });
  if (found.size === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const [tag, entry] of found) {
    if (tag !== '__proto__') tags[tag] = entry.value;
  }
  return tags;
}

describe('hot path memos answer what the plain computation answers', () => {
  it('identitySourceOf: the same answer first, memoized, and for a fresh copy of the key', () => {
    fc.assert(
      fc.property(KEY, key => {
        const first = identitySourceOf(key);
        const again = identitySourceOf(key);
        // A different string object with the same characters.
        const copy = identitySourceOf([...key].join(''));
        expect(again).toEqual(first);
        expect(copy).toEqual(first);
        if (first !== undefined) expect(Object.isFrozen(first)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('identitySourceOf: keys past the memo bound are still answered (not remembered)', () => {
    // More distinct keys than the memo holds (4,096): the answers stay right.
    for (let i = 0; i < 5000; i++) {
      expect(identitySourceOf(`app.tag.k${i}`)).toEqual({
        kind: 'value',
        tag: `k${i}`,
        rank: 3,
      });
      expect(identitySourceOf(`app.other${i}`)).toBeUndefined();
    }
    expect(identitySourceOf('user.id')).toEqual({
      kind: 'value',
      tag: 'userId',
      rank: 0,
    });
  });

  it('readSpanIdentity equals the Map-of-entries reading, tag order included', () => {
    fc.assert(
      fc.property(ATTRIBUTES, attributes => {
        const read = readSpanIdentity(attributes as never);
        const reference = referenceRead(attributes);
        expect(read).toEqual(reference);
        expect(Object.keys(read ?? {})).toEqual(Object.keys(reference ?? {}));
      }),
      { numRuns: 400 },
    );
  });

  it('IdentityPolicy.resolve: a frozen explicit tag set (memoized) resolves like an unfrozen copy', () => {
    const tags = fc.dictionary(
      fc.constantFrom('userId', 'tenantId', 'plan', 'sessionId', 'other'),
      fc.constantFrom('u1', 'acme', '', 'a@b.example.com', 'x'.repeat(200)),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(
        tags,
        fc.boolean(),
        fc.constantFrom<'context' | 'manual'>('context', 'manual'),
        (explicit, secret, explicitSource) => {
          const policy = new IdentityPolicy(secret ? { hmacSecret: 'k' } : {});
          const frozen = Object.freeze({ ...explicit });
          const plain = policy.resolve({
            explicit: { ...explicit },
            explicitSource,
          });
          const first = policy.resolve({ explicit: frozen, explicitSource });
          const second = policy.resolve({ explicit: frozen, explicitSource });
          expect(first).toEqual(plain);
          expect(second).toBe(first);
          // The other source is never answered from this source's memo.
          const other = explicitSource === 'context' ? 'manual' : 'context';
          const crossed = policy.resolve({
            explicit: frozen,
            explicitSource: other,
          });
          if (plain.source !== 'none') expect(crossed.source).toBe(other);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('IdentityPolicy.resolve: own or ancestor tags are never answered from the memo', () => {
    const policy = new IdentityPolicy();
    const explicit = Object.freeze({ tenantId: 'acme' });
    expect(policy.resolve({ explicit }).userId).toBeUndefined();
    const withOwn = policy.resolve({ explicit, own: { userId: 'u1' } });
    expect(withOwn.userId).toBe('u1');
    expect(withOwn.tenantId).toBe('acme');
    const withAncestor = policy.resolve({
      explicit,
      ancestors: { userId: 'u2' },
    });
    expect(withAncestor.userId).toBe('u2');
  });

  it('LabelSetKeys.keyOf equals labelSetKey, within and past its capacity', () => {
    const label = fc.constantFrom(
      'openai',
      'other',
      'none',
      'a',
      'b\u0000c',
      '',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            provider: label,
            model: label,
            plan: label,
            tenant: label,
          }),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 8 }),
        (sets, capacity) => {
          const keys = new LabelSetKeys(capacity);
          for (const labels of sets) {
            expect(keys.keyOf(labels)).toBe(labelSetKey(labels));
          }
          for (const labels of sets) {
            expect(keys.keyOf(labels)).toBe(labelSetKey(labels));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
