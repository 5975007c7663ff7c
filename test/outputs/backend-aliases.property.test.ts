/**
 * Generated calls, identities and existing tag lists through the shared
 * span update with both aliases: the parts always sum to the total under
 * each alias, no generated e-mail address ever comes out raw, the span's own
 * tags are kept, and a conversation id on the span is never replaced.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/core/cost-engine.js';
import { IdentityPolicy } from '../../src/core/identity/identity-policy.js';
import { scrubIdentityAttributes } from '../../src/core/identity/scrub-identity-attributes.js';
import { assembleParts } from '../../src/core/price/token-prices.js';
import { costSpanUpdate } from '../../src/outputs/cost-span-update.js';

const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const email = fc
  .tuple(word, word)
  .map(([local, domain]) => `${local}@${domain}.example.com`);
const value = fc.oneof(word, email);
const usd = fc.double({ min: 0, max: 50, noNaN: true });
const tagKey = fc.constantFrom(
  'langfuse.trace.tags',
  'langfuse.tags',
  'ai.telemetry.metadata.tags',
  'tag.tags',
);

function evaluation(
  parts: readonly [number, number, number, number],
  reasoning: number,
  identity: Record<string, string>,
  policy: IdentityPolicy,
): Evaluation {
  const cost = assembleParts(...parts);
  return {
    kind: 'call',
    call: {
      emitter: 'gen_ai',
      provider: 'openai',
      model: 'gpt-4o',
      operation: 'chat',
      usage: {
        inputTokens: 1000,
        outputTokens: 1000,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: reasoning,
      },
      reportedCostUsd: undefined,
      responseId: undefined,
      startTimeMillis: 0,
      issues: [],
    },
    cost: {
      priced: true,
      source: 'price_table',
      modelId: 'gpt-4o',
      priceVersion: 'test',
      ...cost,
    },
    identity: policy.resolve({ explicit: identity }),
  };
}

describe('backend aliases, generated', () => {
  it('parts sum to the total; no raw e-mail; own tags and conversation id kept', () => {
    fc.assert(
      fc.property(
        fc.tuple(usd, usd, usd, usd),
        fc.nat({ max: 10 }),
        fc.record(
          { sessionId: value, tenantId: value, plan: value, feature: value },
          { requiredKeys: [] },
        ),
        tagKey,
        fc.array(value, { maxLength: 5 }),
        fc.option(word, { nil: undefined }),
        fc.boolean(),
        (parts, reasoning, identity, key, ownTags, conversation, secret) => {
          const policy = new IdentityPolicy(
            secret
              ? { hmacSecret: 's', pseudonymizeKeys: ['sessionId', 'tenantId'] }
              : {},
          );
          const attributes = {
            ...(ownTags.length > 0 ? { [key]: ownTags } : {}),
            ...(conversation === undefined
              ? {}
              : { 'gen_ai.conversation.id': conversation }),
          };
          const update =
            costSpanUpdate(
              attributes,
              true,
              evaluation(parts, reasoning, identity, policy),
              { policy, aliases: new Set(['langfuse', 'openinference']) },
            ) ?? {};
          const total = update['gen_ai.usage.cost'] as number;
          const tolerance = 1e-11;

          const details = JSON.parse(
            update['langfuse.observation.cost_details'] as string,
          ) as Record<string, number>;
          expect(details['total']).toBe(total);
          const langfuseSum =
            (details['input'] as number) +
            (details['output'] as number) +
            (details['input_cached_tokens'] as number) +
            (details['input_cache_creation'] as number);
          expect(Math.abs(langfuseSum - total)).toBeLessThanOrEqual(tolerance);

          const n = (k: string): number => update[k] as number;
          expect(n('llm.cost.total')).toBe(total);
          expect(
            Math.abs(
              n('llm.cost.prompt_details.input') +
                n('llm.cost.prompt_details.cache_read') +
                n('llm.cost.prompt_details.cache_write') -
                n('llm.cost.prompt'),
            ),
          ).toBeLessThanOrEqual(tolerance);
          expect(
            Math.abs(n('llm.cost.prompt') + n('llm.cost.completion') - total),
          ).toBeLessThanOrEqual(tolerance);
          expect(
            update['llm.cost.completion_details.output'] !== undefined,
          ).toBe(reasoning === 0);

          const text = JSON.stringify(update);
          for (const address of [...Object.values(identity), ...ownTags]) {
            if (address.includes('@')) expect(text).not.toContain(address);
          }
          if (conversation !== undefined) {
            // Only the privacy rewrite of the span's own value, never ours.
            expect(update['gen_ai.conversation.id']).toBe(
              scrubIdentityAttributes(
                { 'gen_ai.conversation.id': conversation },
                policy,
              )?.['gen_ai.conversation.id'],
            );
          } else if (identity.sessionId !== undefined) {
            expect(update['gen_ai.conversation.id']).toBe(update['session.id']);
          }
          const tags = update['langfuse.trace.tags'] as string[] | undefined;
          const shown = ['tenantId', 'plan', 'feature'].some(
            tag => tag in identity,
          );
          // Also present when the span's own Langfuse tags held an e-mail
          // address: the privacy rewrite replaces them, alias or not.
          const rewritten =
            key === 'langfuse.trace.tags' &&
            ownTags.some(tag => tag.includes('@'));
          expect(tags !== undefined).toBe(shown || rewritten);
          if (tags !== undefined) {
            for (const tag of ownTags) {
              if (!tag.includes('@')) expect(tags).toContain(tag);
            }
            expect(new Set(tags).size).toBe(tags.length);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
