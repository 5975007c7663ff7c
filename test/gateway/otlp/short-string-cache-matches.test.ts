/**
 * A short-string cache made with a test remembers the test's answer with
 * each string: `matches` answers exactly what the test answers for the
 * decoded string, for any bytes (invalid UTF-8 included), however many
 * strings share its slots, seen or not; with the scan path's test
 * (`isPipelineAttributeKey`) on keys of every family.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShortStringCache } from '../../../src/gateway/otlp/short-string-cache.js';
import { isPipelineAttributeKey } from '../../../src/gateway/span/pipeline-attribute-key.js';

const KEYS = [
  'gen_ai.usage.input_tokens',
  'ai.model.id',
  'llm.token_count.prompt',
  'openinference.span.kind',
  'langfuse.user.id',
  'traceloop.entity.name',
  'user.id',
  'session.id',
  'enduser.id',
  'http.route',
  'server.address',
  'db.system',
  'gen_ai',
  'ai',
  '',
];

const key = fc.oneof(
  fc.constantFrom(...KEYS).map(k => Buffer.from(k)),
  fc.constantFrom(...KEYS).map(k => Buffer.from(`${k}\u00e9`)),
  fc.uint8Array({ maxLength: 80 }).map(bytes => Buffer.from(bytes)),
);

describe('ShortStringCache#matches', () => {
  it("answers the test's answer for the decoded string, seen or not", () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3000 }), keys => {
        const cache = new ShortStringCache(isPipelineAttributeKey);
        const body = Buffer.concat(keys);
        for (let round = 0; round < 2; round++) {
          let at = 0;
          for (const bytes of keys) {
            const end = at + bytes.length;
            const text = body.toString('utf8', at, end);
            expect(cache.matches(body, at, end)).toBe(
              isPipelineAttributeKey(text),
            );
            expect(cache.read(body, at, end)).toBe(text);
            at = end;
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('forgets an answer when its slot takes another string', () => {
    // A test whose answer differs between strings that share slots.
    const cache = new ShortStringCache(value => value.endsWith('7'));
    const keys = Array.from({ length: 5000 }, (_, i) => `key.${i}`);
    for (let round = 0; round < 2; round++) {
      for (const k of keys) {
        const bytes = Buffer.from(k);
        expect(cache.matches(bytes, 0, bytes.length)).toBe(k.endsWith('7'));
      }
    }
  });
});
