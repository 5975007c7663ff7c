/**
 * `emitterLayer` and `remembersFromStart` remember the scope asked last:
 * in any order of asking (the same scope again, another, a copy of the
 * same name built anew), each answer is the scope's own, as the layer
 * lists say (emitter-layer.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emitterLayer,
  remembersFromStart,
  type EmitterLayer,
} from '../../../src/core/select/emitter-layer.js';

const EXPECTED: readonly (readonly [
  string,
  EmitterLayer | undefined,
  boolean,
])[] = [
  ['@opentelemetry/instrumentation-openai', 'instrumentation', true],
  // Traces every AWS call: layered, not remembered from its start.
  ['@opentelemetry/instrumentation-aws-sdk', 'instrumentation', false],
  ['@arizeai/openinference-instrumentation-langchain', 'framework', true],
  ['@arizeai/openinference-instrumentation-openai', 'instrumentation', true],
  ['opentelemetry.instrumentation.llamaindex', 'framework', true],
  ['com.anthropic.sdk.java', 'provider_sdk', true],
  ['ai', undefined, false],
  ['@opentelemetry/instrumentation-http', undefined, false],
  ['', undefined, false],
  [`@traceloop/instrumentation-openai${'x'.repeat(300)}`, undefined, false],
];

describe('emitterLayer (last scope remembered)', () => {
  it('answers each scope as its own, whatever was asked before', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            index: fc.nat(EXPECTED.length - 1),
            // A name equal in content but another string object.
            copy: fc.boolean(),
            ask: fc.constantFrom('layer', 'remembers'),
          }),
          { maxLength: 30 },
        ),
        asks => {
          for (const { index, copy, ask } of asks) {
            const [name, layer, remembers] = EXPECTED[
              index
            ] as (typeof EXPECTED)[0];
            const scope = copy ? [...name].join('') : name;
            if (ask === 'layer') expect(emitterLayer(scope)).toBe(layer);
            else expect(remembersFromStart(scope)).toBe(remembers);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
