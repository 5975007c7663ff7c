/**
 * `identitySourceOf` rejects most keys from their first characters (issue
 * 15: `gen_ai.*`, `llm.*`, `ai.usage.*` never reach the memo). Against the
 * plain computation from the key lists (exact keys first, then the
 * prefixes; kept here as the reference), on the identity keys of every
 * family, their near misses (one character changed, cut, extended) and
 * noise: the filter must never drop a key the lists accept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  identityKeysOf,
  identitySourceOf,
} from '../../../src/core/identity/read-span-identity.js';
import { normalizeTagKey } from '../../../src/core/identity/tag-key.js';

const EXACT: Record<string, { kind: string; tag: string; rank: number }> = {
  'user.id': { kind: 'value', tag: 'userId', rank: 0 },
  'session.id': { kind: 'value', tag: 'sessionId', rank: 0 },
  'tenant.id': { kind: 'value', tag: 'tenantId', rank: 0 },
  'app.plan': { kind: 'value', tag: 'plan', rank: 0 },
  'app.feature': { kind: 'value', tag: 'feature', rank: 0 },
  'user.email': { kind: 'value', tag: 'email', rank: 0 },
  'langfuse.user.id': { kind: 'value', tag: 'userId', rank: 1 },
  'langfuse.session.id': { kind: 'value', tag: 'sessionId', rank: 1 },
  'enduser.id': { kind: 'value', tag: 'userId', rank: 2 },
  'gen_ai.conversation.id': { kind: 'value', tag: 'sessionId', rank: 2 },
  'langfuse.observation.metadata': {
    kind: 'json',
    tag: 'langfuse.observation.metadata',
    rank: 4,
  },
  'langfuse.trace.metadata': {
    kind: 'json',
    tag: 'langfuse.trace.metadata',
    rank: 5,
  },
  metadata: { kind: 'json', tag: 'metadata', rank: 10 },
  'langfuse.trace.tags': {
    kind: 'scrub-only',
    tag: 'tags',
    rank: Number.MAX_SAFE_INTEGER,
  },
  'tag.tags': {
    kind: 'scrub-only',
    tag: 'tags',
    rank: Number.MAX_SAFE_INTEGER,
  },
};

const PREFIXES: readonly (readonly [string, number])[] = [
  ['app.tag.', 3],
  ['langfuse.observation.metadata.', 4],
  ['langfuse.trace.metadata.', 5],
  ['ai.telemetry.metadata.', 6],
  ['ai.settings.context.', 7],
  ['traceloop.association.properties.', 8],
  ['metadata.', 9],
];

function reference(
  key: string,
): { kind: string; tag: string; rank: number } | undefined {
  if (Object.hasOwn(EXACT, key)) return EXACT[key];
  for (const [prefix, rank] of PREFIXES) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      return {
        kind: 'value',
        tag: normalizeTagKey(key.slice(prefix.length)),
        rank,
      };
    }
  }
  return undefined;
}

const KNOWN = [...Object.keys(EXACT), ...PREFIXES.map(([prefix]) => prefix)];
const NOISE = [
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.conversation',
  'llm.model_name',
  'ai.usage.inputTokens',
  'ai.telemetry.functionId',
  'ai.settings.maxRetries',
  'server.address',
  'url.full',
  'user_agent.original',
  'error.type',
  'messaging.system',
  'http.route',
];

/** A known key changed: one character replaced, cut short or extended. */
const nearMiss = fc
  .tuple(
    fc.constantFrom(...KNOWN, ...NOISE),
    fc.nat(40),
    fc.constantFrom('', '.', 'x', 'A', 'é', 'userId', 'user.id', '_'),
    fc.constantFrom('replace', 'cut', 'extend', 'insert'),
  )
  .map(([key, at, text, how]) => {
    const i = Math.min(at, key.length);
    switch (how) {
      case 'replace':
        return key.slice(0, i) + text + key.slice(i + 1);
      case 'cut':
        return key.slice(0, i);
      case 'extend':
        return key + text;
      default:
        return key.slice(0, i) + text + key.slice(i);
    }
  });

const KEY = fc.oneof(
  fc.constantFrom(...KNOWN, ...NOISE),
  nearMiss,
  fc.string({ maxLength: 12 }),
);

describe('identitySourceOf: the first-character filter drops no identity key', () => {
  it('answers what the key lists answer', () => {
    fc.assert(
      fc.property(KEY, key => {
        expect(identitySourceOf(key)).toEqual(reference(key));
      }),
      { numRuns: 20_000 },
    );
  });

  it('every exact key and every prefix with a suffix is found', () => {
    for (const key of Object.keys(EXACT)) {
      expect(identitySourceOf(key)).toEqual(EXACT[key]);
    }
    for (const [prefix, rank] of PREFIXES) {
      expect(identitySourceOf(`${prefix}tenant`)).toEqual({
        kind: 'value',
        tag: 'tenantId',
        rank,
      });
    }
  });
});

/**
 * Keys that look like a known key in its first and fourth characters up to
 * their low five bits (the pair filter's table folds them: `a`/`A`/`!`,
 * `t`/`T`/`4`, a character 32 or 0x100 above), or in those two only.
 */
const FOLD = (char: string): fc.Arbitrary<string> =>
  fc.constantFrom(0, 32, -32, 64, 0x100, 0x2000).map(shift => {
    const code = char.charCodeAt(0) + shift;
    return code > 0 && code < 0xd800 ? String.fromCharCode(code) : char;
  });
const folded = fc
  .tuple(fc.constantFrom(...KNOWN, ...NOISE), fc.string({ maxLength: 6 }))
  .chain(([key, tail]) =>
    fc
      .tuple(FOLD(key[0] ?? 'a'), FOLD(key[3] ?? '.'), fc.boolean())
      .map(([first, fourth, keepMiddle]) => {
        const middle = keepMiddle ? key.slice(1, 3) : 'zz';
        return first + middle + fourth + key.slice(4) + tail;
      }),
  );

describe('identitySourceOf: the pair filter', () => {
  it('answers what the key lists answer for keys folded onto known pairs', () => {
    fc.assert(
      fc.property(folded, key => {
        expect(identitySourceOf(key)).toEqual(reference(key));
      }),
      { numRuns: 20_000 },
    );
  });

  it('keys shorter than four are never identity keys', () => {
    for (const key of ['', 'u', 'us', 'use', 'ai.', 'met', 'app']) {
      expect(identitySourceOf(key)).toBeUndefined();
    }
  });

  it('identityKeysOf lists the keys the lists accept, in enumeration order, on objects past dictionary size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(KEY, folded), { minLength: 0, maxLength: 48 }),
        keys => {
          // Set one by one, as an SDK span sets its attributes (V8 keeps
          // an object past ~16 such keys in dictionary mode).
          const attributes: Record<string, string> = {};
          for (const key of keys) attributes[key] = 'v';
          const expected = Object.keys(attributes).filter(
            key => reference(key) !== undefined,
          );
          expect([...identityKeysOf(attributes)]).toEqual(expected);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
