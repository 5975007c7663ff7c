/**
 * Most values (each object, array and each item after a comma) and the
 * deepest nesting JSON text may have before it is parsed as price data.
 * Parsing makes an object per value: 32 MiB of `{},{},...` took 5.4 s and
 * 750 MB of heap, 32 MiB of `[[[...]]]` 13 s and 970 MB. genai-prices'
 * own data has about 23,000 values, 10 deep; at the limit the parse takes
 * at most about 35 MB and 0.3 s.
 */
export const MAX_JSON_VALUES = 500_000;
export const MAX_JSON_DEPTH = 32;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/**
 * Why `text` is too big a structure to parse, or undefined: one pass over
 * its characters (strings skipped), stopping at the first bound crossed,
 * so hostile text is refused before `JSON.parse` builds it.
 */
export function jsonTextBoundsProblem(text: string): string | undefined {
  let values = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) {
        return `nested deeper than ${MAX_JSON_DEPTH}`;
      }
      if (++values > MAX_JSON_VALUES) break;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA && ++values > MAX_JSON_VALUES) {
      break;
    }
  }
  return values > MAX_JSON_VALUES
    ? `more than ${MAX_JSON_VALUES} values`
    : undefined;
}
