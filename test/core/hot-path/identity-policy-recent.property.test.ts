/**
 * `IdentityPolicy.resolve` answers from its last resolution when the layers
 * hold the same entries again (issue 15). Over generated sequences of
 * calls (layers drawn from a small pool so that entries repeat, fresh
 * objects each call, e-mails, values past the length cap, keys outside the
 * allow-list, non-string values, inherited keys, more entries than the
 * memory holds), every answer must equal the policy it replaced (the
 * reference copy, `reference-identity-policy.ts`): the same tags in the
 * same order, the same source, frozen alike, and the same e-mail warnings
 * after each call; with a secret too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IdentityPolicy,
  type IdentityLayers,
  type IdentityPolicyOptions,
} from '../../../src/core/identity/identity-policy.js';
import type { Identity } from '../../../src/core/identity.js';
import { IdentityPolicy as ReferencePolicy } from './reference-identity-policy.js';

const KEYS = [
  'userId',
  'sessionId',
  'tenantId',
  'plan',
  'feature',
  'team',
  'notAllowed',
  'email',
];
const VALUES: readonly unknown[] = [
  'user-1',
  'user-2',
  'ada@example.com',
  'x'.repeat(200),
  '',
  'hmac:0123456789abcdef0123456789abcdef',
  'redacted-email',
  42,
  undefined,
];

/** Entries of one layer (from a small pool: the same ones come back). */
const ENTRIES = fc.array(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)),
  { maxLength: 4 },
);

/** How a layer is given: absent, plain, frozen, inherited keys, or huge. */
const LAYER = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 5,
    arbitrary: ENTRIES.map(entries => ({ kind: 'plain', entries })),
  },
  {
    weight: 2,
    arbitrary: ENTRIES.map(entries => ({ kind: 'frozen', entries })),
  },
  {
    weight: 1,
    arbitrary: ENTRIES.map(entries => ({ kind: 'inherited', entries })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge', entries: [] }) },
);

type LayerSpec = fc.Arbitrary<
  typeof LAYER extends fc.Arbitrary<infer T> ? T : never
>;

/** A fresh object for each call, as the engine gives. */
function layerOf(
  spec: (LayerSpec extends fc.Arbitrary<infer T> ? T : never) | undefined,
): Record<string, string> | undefined {
  if (spec === undefined) return undefined;
  const own: Record<string, unknown> = {};
  for (const [key, value] of spec.entries) own[key] = value;
  switch (spec.kind) {
    case 'frozen':
      return Object.freeze(own) as Record<string, string>;
    case 'inherited':
      return Object.create(own) as Record<string, string>;
    case 'huge': {
      const huge: Record<string, string> = {};
      for (let i = 0; i < 40; i++) huge[`tag${i}`] = `v${i % 3}`;
      huge['userId'] = 'user-9';
      return huge;
    }
    default:
      return own as Record<string, string>;
  }
}

const CALL = fc.record({
  explicit: LAYER,
  explicitSource: fc.constantFrom(
    undefined,
    'context' as const,
    'manual' as const,
  ),
  own: LAYER,
  ancestors: LAYER,
  repeat: fc.nat({ max: 2 }),
});

const OPTIONS = fc.record(
  {
    tagKeys: fc.constant(['team']),
    maxValueLength: fc.constantFrom(16, 128),
    allowRawEmail: fc.boolean(),
    hmacSecret: fc.constantFrom(undefined, 'secret'),
  },
  { requiredKeys: [] },
);

/** An identity as compared: entries in order, frozen or not. */
function shape(identity: Identity): unknown {
  return {
    entries: Object.entries(identity),
    tags: Object.entries(identity.tags),
    frozen: [Object.isFrozen(identity), Object.isFrozen(identity.tags)],
  };
}

describe('IdentityPolicy.resolve: the last resolution against the reference', () => {
  it('answers and warns as the reference on every call sequence', () => {
    fc.assert(
      fc.property(
        OPTIONS,
        fc.array(CALL, { maxLength: 30 }),
        (options, calls) => {
          let warned = 0;
          let referenceWarned = 0;
          const policy = new IdentityPolicy({
            ...(options as IdentityPolicyOptions),
            onEmailRedacted: () => (warned += 1),
          });
          const reference = new ReferencePolicy({
            ...(options as IdentityPolicyOptions),
            onEmailRedacted: () => (referenceWarned += 1),
          });
          for (const call of calls) {
            for (let r = 0; r <= call.repeat; r++) {
              const layers = (): IdentityLayers => ({
                explicit: layerOf(call.explicit),
                explicitSource: call.explicitSource,
                own: layerOf(call.own),
                ancestors: layerOf(call.ancestors),
              });
              expect(shape(policy.resolve(layers()))).toEqual(
                shape(reference.resolve(layers())),
              );
              expect(warned).toBe(referenceWarned);
            }
            // The same entries from the other explicit source.
            const other =
              call.explicitSource === 'manual' ? 'context' : 'manual';
            const flipped = (): IdentityLayers => ({
              explicit: layerOf(call.explicit),
              explicitSource: other,
              own: layerOf(call.own),
              ancestors: layerOf(call.ancestors),
            });
            expect(shape(policy.resolve(flipped()))).toEqual(
              shape(reference.resolve(flipped())),
            );
            expect(warned).toBe(referenceWarned);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('answers as the reference when the e-mail warning resolves again', () => {
    // The warning runs user code (the diag logger) that may end another
    // span: a resolution nested in one, on the same policy.
    fc.assert(
      fc.property(fc.array(fc.tuple(CALL, CALL), { maxLength: 12 }), pairs => {
        const nestedOf = (
          resolveAgain: (layers: IdentityLayers) => Identity,
        ) => {
          let depth = 0;
          let pending: IdentityLayers | undefined;
          const answers: unknown[] = [];
          return {
            answers,
            warn: () => {
              if (depth > 0 || pending === undefined) return;
              depth += 1;
              answers.push(shape(resolveAgain(pending)));
              depth -= 1;
            },
            set: (layers: IdentityLayers) => (pending = layers),
          };
        };
        const policies: {
          ours?: IdentityPolicy;
          reference?: ReferencePolicy;
        } = {};
        const ours = nestedOf(layers =>
          (policies.ours as IdentityPolicy).resolve(layers),
        );
        const theirs = nestedOf(layers =>
          (policies.reference as ReferencePolicy).resolve(layers),
        );
        const policy = new IdentityPolicy({ onEmailRedacted: ours.warn });
        const reference = new ReferencePolicy({ onEmailRedacted: theirs.warn });
        policies.ours = policy;
        policies.reference = reference;
        for (const [outer, inner] of pairs) {
          const layersOf = (call: typeof outer) => (): IdentityLayers => ({
            explicit: layerOf(call.explicit),
            explicitSource: call.explicitSource,
            own: layerOf(call.own),
            ancestors: layerOf(call.ancestors),
          });
          ours.set(layersOf(inner)());
          theirs.set(layersOf(inner)());
          for (let r = 0; r <= outer.repeat; r++) {
            expect(shape(policy.resolve(layersOf(outer)()))).toEqual(
              shape(reference.resolve(layersOf(outer)())),
            );
            expect(ours.answers).toEqual(theirs.answers);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('holds at most the last entries, never past the bound', () => {
    const policy = new IdentityPolicy();
    const recent = (): { keys: unknown[]; values: unknown[] } =>
      (policy as unknown as { _recent: { keys: unknown[]; values: unknown[] } })
        ._recent;
    const huge: Record<string, string> = {};
    for (let i = 0; i < 100; i++) huge[`tag${i}`] = 'x';
    policy.resolve({ own: huge });
    expect(recent().keys.length).toBeLessThanOrEqual(32);
    policy.resolve({ own: { a: '1', b: '2', c: '3', userId: 'u' } });
    policy.resolve({ own: { userId: 'u' } });
    expect(recent().keys.filter(key => key !== undefined)).toEqual(['userId']);
    expect(recent().values.filter(value => value !== undefined)).toEqual(['u']);
  });

  it('answers a repeat from the last resolution (the same object)', () => {
    const policy = new IdentityPolicy();
    const first = policy.resolve({ own: { userId: 'user-1' } });
    expect(policy.resolve({ own: { userId: 'user-1' } })).toBe(first);
    expect(policy.resolve({ own: { userId: 'user-2' } })).not.toBe(first);
  });
});
