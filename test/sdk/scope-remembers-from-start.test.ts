/**
 * `spanRemembersFromStart` keeps `remembersFromStart`'s answer on the scope
 * object: the cached answer must equal the look-up by name, for any name,
 * the first time and every time after, on SDK 1.x and 2.x/3.x spans, and
 * on frozen scope objects (nothing kept); and what it keeps is invisible to
 * exporters (no enumerable key, nothing in JSON or a spread copy).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { remembersFromStart } from '../../src/core/select/emitter-layer.js';
import { spanRemembersFromStart } from '../../src/sdk/scope-remembers-from-start.js';

const KNOWN = [
  '@arizeai/openinference-instrumentation-openai',
  '@arizeai/openinference-instrumentation-langchain',
  '@traceloop/instrumentation-anthropic',
  'openinference.instrumentation.langchain',
  'opentelemetry.instrumentation.openai',
  '@opentelemetry/instrumentation-openai',
  '@opentelemetry/instrumentation-aws-sdk',
  '@opentelemetry/instrumentation-http',
  'com.anthropic.sdk',
  'ai',
  '',
];
const NAMES = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc
    .constantFrom(...KNOWN)
    .chain(known => fc.string({ maxLength: 6 }).map(tail => known + tail)),
  fc.string({ maxLength: 300 }),
);

describe('spanRemembersFromStart', () => {
  it('equals remembersFromStart of the scope name, first and later calls, either SDK field', () => {
    fc.assert(
      fc.property(NAMES, fc.boolean(), fc.boolean(), (name, v1, frozen) => {
        const expected = remembersFromStart(name);
        const scope = { name, version: '1.0.0', schemaUrl: undefined };
        if (frozen) Object.freeze(scope);
        const span = v1
          ? { instrumentationLibrary: scope }
          : { instrumentationScope: scope };
        for (let i = 0; i < 3; i++) {
          expect(spanRemembersFromStart(span)).toBe(expected);
        }
        // A second span of the same tracer shares the scope object.
        const sibling = v1
          ? { instrumentationLibrary: scope }
          : { instrumentationScope: scope };
        expect(spanRemembersFromStart(sibling)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('one scope object never answers for another (two tracers)', () => {
    const openinference = {
      name: '@arizeai/openinference-instrumentation-anthropic',
    };
    const http = { name: '@opentelemetry/instrumentation-http' };
    for (let i = 0; i < 3; i++) {
      expect(
        spanRemembersFromStart({ instrumentationScope: openinference }),
      ).toBe(true);
      expect(spanRemembersFromStart({ instrumentationScope: http })).toBe(
        false,
      );
    }
  });

  it('a span without a scope, or with a scope that is not an object, is not remembered', () => {
    expect(spanRemembersFromStart({})).toBe(false);
    expect(spanRemembersFromStart({ instrumentationScope: null })).toBe(false);
    expect(
      spanRemembersFromStart({ instrumentationScope: 'openinference' }),
    ).toBe(false);
    expect(spanRemembersFromStart({ instrumentationScope: { name: 42 } })).toBe(
      false,
    );
  });

  it('what is kept on the scope object is invisible to exporters', () => {
    const scope = {
      name: '@arizeai/openinference-instrumentation-openai',
      version: '2.0.0',
    };
    const before = JSON.stringify(scope);
    expect(spanRemembersFromStart({ instrumentationScope: scope })).toBe(true);
    expect(Object.keys(scope)).toEqual(['name', 'version']);
    expect(JSON.stringify(scope)).toBe(before);
    expect(Object.getOwnPropertySymbols({ ...scope })).toEqual([]);
    expect(Object.getOwnPropertySymbols(Object.assign({}, scope))).toEqual([]);
  });
});
