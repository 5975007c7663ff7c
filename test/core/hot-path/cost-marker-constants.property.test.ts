/**
 * `CostEngine._skip` reads the cost markers (`gen_ai.cost.source`,
 * `gen_ai.cost.skipped`) and `identityAttributes` writes
 * `gen_ai.cost.attribution.source` through module-local constants instead
 * of the imported `semconv.ts` bindings. Against the code they replaced
 * (reference/cost-engine.ts, reference/identity-attributes.ts): the same
 * evaluation of every span of a sequence (markers present or not, repeated
 * response ids, scopes) and the same attributes, in the same order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostEngine } from '../../../src/core/cost-engine.js';
import type { Identity } from '../../../src/core/identity.js';
import { createPricer } from '../../../src/core/price/pricer.js';
import type { SpanAttributes, SpanLike } from '../../../src/core/span-like.js';
import { identityAttributes } from '../../../src/outputs/identity-attributes.js';
import { CostEngine as ReferenceCostEngine } from './reference/cost-engine.js';
import { identityAttributes as referenceIdentityAttributes } from './reference/identity-attributes.js';

const span = fc
  .record({
    id: fc.nat(30),
    parent: fc.option(fc.nat(30), { nil: undefined }),
    scope: fc.constantFrom(
      '@opentelemetry/instrumentation-openai',
      '@traceloop/instrumentation-openai',
      'ai',
    ),
    model: fc.constantFrom('gpt-4o-mini', 'claude-sonnet-4-5', 'no-such'),
    input: fc.nat(5000),
    output: fc.nat(500),
    responseId: fc.option(fc.constantFrom('r1', 'r2', 'r3'), {
      nil: undefined,
    }),
    source: fc.option(fc.constantFrom('price_table', 'unpriced', ''), {
      nil: undefined,
    }),
    skipped: fc.option(fc.constantFrom('already_priced', 'x'), {
      nil: undefined,
    }),
    user: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
  })
  .map(s => {
    const attributes: Record<string, string | number> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': s.model,
      'gen_ai.usage.input_tokens': s.input,
      'gen_ai.usage.output_tokens': s.output,
    };
    if (s.responseId !== undefined)
      attributes['gen_ai.response.id'] = s.responseId;
    if (s.source !== undefined) attributes['gen_ai.cost.source'] = s.source;
    if (s.skipped !== undefined) attributes['gen_ai.cost.skipped'] = s.skipped;
    if (s.user !== undefined) attributes['user.id'] = s.user;
    const view: SpanLike = {
      name: 'chat',
      scopeName: s.scope,
      traceId: 't1',
      spanId: `s${s.id}`,
      parentSpanId: s.parent === undefined ? undefined : `s${s.parent}`,
      startTimeMillis: Date.UTC(2026, 0, 1),
      endTimeMillis: Date.UTC(2026, 0, 1) + 10,
      attributes: attributes as SpanAttributes,
    };
    return view;
  });

describe('module-local marker keys against the replaced code', () => {
  it('the engine evaluates every span of a sequence the same', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 40 }), spans => {
        const pricer = createPricer();
        const engine = new CostEngine({ pricer });
        const reference = new ReferenceCostEngine({ pricer });
        for (const s of spans) {
          expect(engine.evaluate(s)).toEqual(reference.evaluate(s));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('identityAttributes writes the same keys in the same order', () => {
    const identity: fc.Arbitrary<Identity> = fc.record({
      source: fc.constantFrom('context', 'span', 'ancestor', 'none', 'manual'),
      tags: fc.dictionary(
        fc.constantFrom(
          'userId',
          'sessionId',
          'tenantId',
          'plan',
          'feature',
          'team',
          'x',
        ),
        fc.string({ maxLength: 6 }),
      ),
    }) as fc.Arbitrary<Identity>;
    fc.assert(
      fc.property(identity, fc.boolean(), (id, withInto) => {
        const into = withInto ? { 'gen_ai.usage.cost': 1 } : undefined;
        const got = identityAttributes(id, into && { ...into });
        const want = referenceIdentityAttributes(id, into && { ...into });
        expect(Object.entries(got)).toEqual(Object.entries(want));
      }),
      { numRuns: 500 },
    );
  });
});
