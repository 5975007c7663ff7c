/**
 * `CostEngine` on its own: select (exactly once), normalize, price,
 * identity. Expected prices are OpenAI's published gpt-4o list prices
 * (https://openai.com/api/pricing): $2.50 per million input tokens, $10 per
 * million output tokens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostEngine } from '../../src/core/cost-engine.js';
import { IdentityPolicy } from '../../src/core/identity/identity-policy.js';
import { createPricer } from '../../src/core/price/pricer.js';
import type { SpanAttributes, SpanLike } from '../../src/core/span-like.js';

const GPT_4O = { inputPerMTok: 2.5, outputPerMTok: 10 };
const TRACE = 'a'.repeat(32);

const chat = (input: number, output: number, extra: SpanAttributes = {}) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  ...extra,
});
const AGENT: SpanAttributes = { 'gen_ai.operation.name': 'invoke_agent' };
const HTTP: SpanAttributes = { 'http.request.method': 'POST' };

const span = (
  spanId: string,
  attributes: SpanAttributes,
  more: Partial<SpanLike> = {},
): SpanLike => ({
  name: 'span',
  scopeName: 'test',
  traceId: TRACE,
  spanId,
  parentSpanId: undefined,
  startTimeMillis: Date.parse('2026-11-01T12:00:00Z'),
  attributes,
  ...more,
});

const engine = (policy = new IdentityPolicy()): CostEngine =>
  new CostEngine({ pricer: createPricer(), identityPolicy: policy });

const expectedUsd = (input: number, output: number): number =>
  (input * GPT_4O.inputPerMTok + output * GPT_4O.outputPerMTok) / 1e6;

describe('CostEngine', () => {
  it('prices an LLM call at the published price', () => {
    const evaluation = engine().evaluate(span('01', chat(10_000, 2_000)));
    expect(evaluation?.kind).toBe('call');
    if (evaluation?.kind !== 'call') return;
    expect(evaluation.cost.priced).toBe(true);
    if (!evaluation.cost.priced) return;
    expect(evaluation.cost.totalUsd).toBeCloseTo(
      expectedUsd(10_000, 2_000),
      12,
    );
    expect(evaluation.cost.totalUsd).toBeCloseTo(0.045, 12);
    expect(evaluation.call.provider).toBe('openai');
    expect(evaluation.identity.source).toBe('none');
  });

  it('returns undefined for spans that are not LLM calls, and for wrappers', () => {
    const costs = engine();
    expect(costs.evaluate(span('01', HTTP))).toBeUndefined();
    expect(costs.evaluate(span('02', AGENT))).toBeUndefined();
  });

  it('leaves an unknown model unpriced, never 0', () => {
    const evaluation = engine().evaluate(
      span(
        '01',
        chat(100, 10, { 'gen_ai.request.model': 'no-such-model-xyz' }),
      ),
    );
    expect(evaluation?.kind === 'call' && evaluation.cost).toMatchObject({
      priced: false,
      reason: 'unknown_model',
    });
  });

  it('skips an inference span whose descendant was priced (two instrumentations on one call)', () => {
    const costs = engine();
    const inner = costs.evaluate(
      span('02', chat(100, 10), { parentSpanId: '01' }),
    );
    expect(inner?.kind).toBe('call');
    expect(costs.evaluate(span('01', chat(100, 10)))).toEqual({
      kind: 'skipped',
      reason: 'covered_by_descendant',
    });
    expect(costs.trackedEntries).toBe(0);
  });

  it('does not keep a mark for a remote parent', () => {
    const costs = engine();
    costs.evaluate(
      span('02', chat(100, 10), { parentSpanId: '01', parentIsRemote: true }),
    );
    expect(costs.trackedEntries).toBe(0);
  });

  it('never prices a span already evaluated upstream', () => {
    expect(
      engine().evaluate(
        span('01', chat(100, 10, { 'gen_ai.cost.source': 'computed' })),
      ),
    ).toEqual({ kind: 'skipped', reason: 'already_priced' });
  });

  it('skips one response reported by two instrumentation scopes, not by one', () => {
    const costs = engine();
    const reply = chat(100, 10, { 'gen_ai.response.id': 'chatcmpl-1' });
    expect(costs.evaluate(span('01', reply, { scopeName: 'a' }))?.kind).toBe(
      'call',
    );
    expect(costs.evaluate(span('02', reply, { scopeName: 'b' }))).toEqual({
      kind: 'skipped',
      reason: 'duplicate_response',
    });
    expect(costs.evaluate(span('03', reply, { scopeName: 'a' }))?.kind).toBe(
      'call',
    );
  });

  it('merges identity: explicit over the span own attributes over ancestors, ancestors read lazily', () => {
    const costs = engine(new IdentityPolicy({ tagKeys: ['team'] }));
    let walks = 0;
    const hint = {
      explicit: { userId: 'explicit-user' },
      ancestors: () => {
        walks += 1;
        return { userId: 'ancestor-user', tenantId: 'acme', team: 'search' };
      },
    };
    const evaluation = costs.evaluate(
      span('01', chat(1, 1, { 'tenant.id': 'own-tenant' })),
      hint,
    );
    expect(evaluation?.kind === 'call' && evaluation.identity.tags).toEqual({
      userId: 'explicit-user',
      tenantId: 'own-tenant',
      team: 'search',
    });
    expect(costs.evaluate(span('02', HTTP), hint)).toBeUndefined();
    expect(walks).toBe(1);
  });

  it('forgets its bookkeeping on clear()', () => {
    const costs = engine();
    costs.evaluate(span('02', chat(1, 1), { parentSpanId: '01' }));
    expect(costs.isCovered('01')).toBe(true);
    costs.clear();
    expect(costs.isCovered('01')).toBe(false);
    expect(costs.evaluate(span('01', chat(1, 1)))?.kind).toBe('call');
  });

  it('prices exactly the inference spans without an inference descendant, in any tree (generated)', () => {
    const role = fc.constantFrom('inference', 'wrapper', 'other');
    fc.assert(
      fc.property(
        fc.array(fc.record({ parent: fc.nat(), role }), {
          minLength: 1,
          maxLength: 30,
        }),
        nodes => {
          // Node i's parent is one of the nodes before it (or none): a tree.
          const parent = nodes.map((node, i) =>
            i === 0 ? -1 : (node.parent % (i + 1)) - 1,
          );
          const children = nodes.map((_, i) =>
            parent.flatMap((p, j) => (p === i ? [j] : [])),
          );
          const hasInferenceBelow = (i: number): boolean =>
            (children[i] ?? []).some(
              c => nodes[c]?.role === 'inference' || hasInferenceBelow(c),
            );
          const id = (i: number): string =>
            (i + 1).toString(16).padStart(16, '0');
          const attributesOf = (i: number): SpanAttributes =>
            nodes[i]?.role === 'inference'
              ? chat(1000, 100)
              : nodes[i]?.role === 'wrapper'
                ? AGENT
                : HTTP;
          const costs = engine();
          // Children end before their parents: post-order.
          const order: number[] = [];
          const visit = (i: number): void => {
            for (const c of children[i] ?? []) visit(c);
            order.push(i);
          };
          parent.forEach((p, i) => {
            if (p === -1) visit(i);
          });
          for (const i of order) {
            const p = parent[i] as number;
            const evaluation = costs.evaluate(
              span(id(i), attributesOf(i), {
                parentSpanId: p === -1 ? undefined : id(p),
              }),
            );
            if (nodes[i]?.role !== 'inference') {
              expect(evaluation).toBeUndefined();
            } else if (hasInferenceBelow(i)) {
              expect(evaluation).toEqual({
                kind: 'skipped',
                reason: 'covered_by_descendant',
              });
            } else {
              expect(evaluation?.kind).toBe('call');
            }
          }
          // Every span ended: nothing is left in the bookkeeping.
          expect(costs.trackedEntries).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
