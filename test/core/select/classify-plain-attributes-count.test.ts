/**
 * `classifyPlainAttributes(attributes, keyCount)`: the count only chooses
 * how the markers are found (a pass over the keys, or reading the seven
 * marker keys past `MAX_SCANNED_KEYS`), never the answer. Generated objects
 * of 0-40 keys (fast-mode and dictionary objects alike), markers anywhere,
 * with the true count, a wrong count and none, all give `classifySpan`'s
 * very class object.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyPlainAttributes,
  classifySpan,
} from '../../../src/core/select/classify-span.js';

const MARKER_KEYS = [
  'ai.operationId',
  'langfuse.observation.type',
  'openinference.span.kind',
  'gen_ai.operation.name',
  'gen_ai.system',
  'gen_ai.provider.name',
  'llm.model_name',
];
const VALUES = fc.oneof(
  fc.constantFrom(
    'chat',
    'invoke_agent',
    'ai.streamText.doStream',
    'ai.streamText',
    'LLM',
    'CHAIN',
    'generation',
    'span',
    'anthropic',
  ),
  fc.integer(),
  fc.constant(undefined),
);

describe('classifyPlainAttributes with a key count', () => {
  it('gives classifySpan’s class whatever the count, up to 40 keys', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), {
          maxLength: 40,
        }),
        fc.array(fc.tuple(fc.constantFrom(...MARKER_KEYS), VALUES), {
          maxLength: 3,
        }),
        fc.nat(),
        fc.integer({ min: -5, max: 60 }),
        (plainKeys, markers, at, wrongCount) => {
          const entries: [string, unknown][] = plainKeys.map(key => [key, 'v']);
          // Markers anywhere in insertion order (a late one comes last).
          for (const [key, value] of markers) {
            entries.splice(at % (entries.length + 1), 0, [key, value]);
          }
          const attributes: Record<string, unknown> = {};
          // One key at a time, as an SDK span sets them (the same V8 shapes).
          for (const [key, value] of entries) attributes[key] = value;
          const plain = attributes as Parameters<typeof classifySpan>[0];
          const expected = classifySpan(plain);
          const count = Object.keys(attributes).length;
          expect(classifyPlainAttributes(plain, count)).toBe(expected);
          expect(classifyPlainAttributes(plain, wrongCount)).toBe(expected);
          expect(classifyPlainAttributes(plain)).toBe(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a marker set last on a 30-key object is seen with the count and without', () => {
    for (const key of MARKER_KEYS) {
      const attributes: Record<string, string> = {};
      for (let i = 0; i < 30; i++)
        attributes[`http.request.header.h${i}`] = 'x';
      attributes[key] = 'chat';
      const count = Object.keys(attributes).length;
      expect(classifyPlainAttributes(attributes, count).role).not.toBe('other');
      expect(classifyPlainAttributes(attributes).role).not.toBe('other');
    }
  });
});
