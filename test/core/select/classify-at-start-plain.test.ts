/**
 * `classifyAtStart` reads the sampler's attributes with one pass over their
 * keys (`classifyPlainAttributes`): on generated attribute objects (markers
 * with any value, near-miss keys, random keys, any order) its answer is
 * `classifySpan`'s role when that is not `other`, and otherwise the
 * answer for the name alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAtStart } from '../../../src/core/select/classify-at-start.js';
import { classifySpan } from '../../../src/core/select/classify-span.js';

const KEYS = [
  'ai.operationId',
  'langfuse.observation.type',
  'openinference.span.kind',
  'gen_ai.operation.name',
  'gen_ai.system',
  'gen_ai.provider.name',
  'llm.model_name',
  'ai.operationid',
  'gen_ai.request.model',
  'llm.model',
  'http.request.method',
  'db.system.name',
];
const VALUES = fc.oneof(
  fc.constantFrom(
    'chat',
    'invoke_agent',
    'ai.generateText.doGenerate',
    'ai.generateText',
    'LLM',
    'chain',
    'generation',
    'span',
  ),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.constant(undefined),
);
const NAMES = fc.oneof(
  fc.constantFrom(
    'chat gpt-4o',
    'ai.streamText.doStream',
    'ai.streamText',
    'invoke_agent support',
    'Anthropic Messages',
    'ChatOpenAI',
    'bedrock.converse',
    'GET /api/orders/:id',
    'SELECT orders',
    '',
  ),
  fc.string({ maxLength: 30 }),
);

describe('classifyAtStart on plain attribute objects', () => {
  it('is classifySpan’s role, else the role of the name alone', () => {
    fc.assert(
      fc.property(
        NAMES,
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })),
            VALUES,
          ),
          { maxLength: 10 },
        ),
        (name, entries) => {
          const attributes: Record<string, unknown> = {};
          for (const [key, value] of entries) attributes[key] = value;
          const plain = attributes as Parameters<typeof classifySpan>[0];
          const role = classifySpan(plain).role;
          expect(classifyAtStart(name, plain)).toBe(
            role !== 'other' ? role : classifyAtStart(name, {}),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
