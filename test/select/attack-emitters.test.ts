/**
 * ATTACK (lost): the `emitters` option read from a variable or flag. A
 * mode spelled with another case or a typo (`Client`, `clients`,
 * `framwork`) or a list of modes (`auto,client`) was taken as a list of
 * instrumentation scope names that matches no span: every LLM call was
 * then skipped as `duplicate_of_stacked_instrumentation`, nothing priced.
 * Modes are read case-insensitively; near-misses and modes inside a list
 * are errors naming the fix; real scope names (even a bare word such as
 * the AI SDK's `ai`) still work.
 */
import { describe, expect, it } from 'vitest';
import {
  checkEmitters,
  parseEmitters,
} from '../../src/core/select/emitters.js';

describe('parseEmitters (variable, flag)', () => {
  it.each([
    ['Client', 'client'],
    [' FRAMEWORK ', 'framework'],
    ['All', 'all'],
    ['AUTO', 'auto'],
  ])('%j is the mode %s', (raw, mode) => {
    expect(parseEmitters(raw)).toBe(mode);
  });

  it.each([
    'clients',
    'framwork',
    'frameworks',
    'clinet',
    'auto,client',
    'all, @traceloop/instrumentation-openai',
  ])('%j is an error, not a scope list that matches nothing', raw => {
    expect(() => parseEmitters(raw)).toThrow(/auto, framework, client, all/);
  });

  it('scope names still parse, bare words included', () => {
    expect(parseEmitters('ai')).toEqual(['ai']);
    expect(
      parseEmitters(
        ' @opentelemetry/instrumentation-openai , com.anthropic.sdk.typescript,,',
      ),
    ).toEqual([
      '@opentelemetry/instrumentation-openai',
      'com.anthropic.sdk.typescript',
    ]);
  });

  it('a huge list parses (bounded by its length)', () => {
    const scopes = Array.from({ length: 20_000 }, (_, i) => `scope.${i}`);
    expect(parseEmitters(scopes.join(','))).toHaveLength(20_000);
  });
});

describe('checkEmitters (code)', () => {
  it.each([[['auto']], [['client', '@opentelemetry/instrumentation-openai']]])(
    '%j: a mode inside a list is an error',
    value => {
      expect(() => checkEmitters(value)).toThrow(
        /auto, framework, client, all/,
      );
    },
  );

  it('a list of scope names is kept', () => {
    expect(checkEmitters(['ai', ' langfuse-sdk '])).toEqual([
      'ai',
      'langfuse-sdk',
    ]);
  });
});
