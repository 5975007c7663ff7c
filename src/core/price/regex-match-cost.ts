/**
 * Longest model or provider id matched against refreshed price data: a
 * longer one is an unknown model there. Real ids (Bedrock ARNs, Vertex
 * resource names) stay under 160 characters.
 */
export const MAX_MATCHED_ID_LENGTH = 256;

/**
 * Most backtracking steps one `regex` rule of refreshed data may cost on
 * one id (an upper bound from its shape, see `regexMatchCost`), and all of
 * a data file's rules together. genai-prices' own 45 rules cost at most
 * 25,600 each (Mistral's: 2 x 256 x 50 alternatives) and 26,670
 * together.
 */
export const MAX_REGEX_COST = 2 ** 17;
export const MAX_REGEX_COST_TOTAL = 2 ** 22;

/** Longest `regex` rule (genai-prices' own: 109 characters). */
export const MAX_REGEX_LENGTH = 1000;

const QUANTIFIER = /(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})\??/y;

interface Group {
  /** Holds a quantifier whose count varies, or an alternation. */
  ambiguous: boolean;
  /** Alternatives at this level (1: no alternation). */
  alternatives: number;
}

/**
 * An upper bound on the steps a regular expression (JavaScript syntax, no
 * flags) can take on one id of at most `MAX_MATCHED_ID_LENGTH`
 * characters, or `undefined` when it has no such bound: backreferences,
 * and a repeated group that holds a quantifier or an alternation (`(a+)+`,
 * `(a|a)*`), backtrack exponentially; so has one longer than
 * `MAX_REGEX_LENGTH`. Otherwise the bound is the product,
 * over its quantifiers, of how many counts each may take, times the start
 * positions when it is not anchored with a leading `^`, times the
 * alternatives of each alternation (`(?:a|aa)` 30 times over backtracks
 * 2^30 ways without a single quantifier). So a data file's
 * rules (evaluated on every new model id, inside `span.end()`) can be
 * refused before they run, never timed while they run.
 */
export function regexMatchCost(source: string): number | undefined {
  if (source.length > MAX_REGEX_LENGTH) return undefined;
  const n = MAX_MATCHED_ID_LENGTH;
  const stack: Group[] = [{ ambiguous: false, alternatives: 1 }];
  let cost = 1;
  /** The last atom: a group closed just before, or anything else. */
  let last: Group | 'atom' | undefined;
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    const top = stack[stack.length - 1] as Group;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9k]/.test(next)) return undefined; // backreference
      i += 2;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      while (j < source.length && source[j] !== ']') {
        j += source[j] === '\\' ? 2 : 1;
      }
      i = j + 1;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ ambiguous: false, alternatives: 1 });
      i += /^\(\?(?:<[=!]|[:=!])/.test(source.slice(i, i + 4))
        ? source[i + 2] === '<'
          ? 4
          : 3
        : 1;
      last = undefined;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return undefined;
      const closed = stack.pop() as Group;
      closed.ambiguous ||= closed.alternatives > 1;
      cost *= closed.alternatives;
      const parent = stack[stack.length - 1] as Group;
      parent.ambiguous ||= closed.ambiguous;
      last = closed;
      i += 1;
      continue;
    }
    if (c === '|') {
      top.alternatives += 1;
      last = undefined;
      i += 1;
      continue;
    }
    QUANTIFIER.lastIndex = i;
    const quantifier = QUANTIFIER.exec(source);
    if (quantifier !== null && last !== undefined) {
      const [text, min, comma, max] = quantifier;
      const lower = min === undefined ? (text[0] === '+' ? 1 : 0) : Number(min);
      const upper =
        min === undefined
          ? text[0] === '?'
            ? 1
            : Infinity
          : comma === undefined
            ? lower
            : max === ''
              ? Infinity
              : Number(max);
      if (upper > 1 && last !== 'atom' && last.ambiguous) return undefined;
      const counts = Math.max(1, Math.min(upper, n) - Math.min(lower, n) + 1);
      if (counts > 1) top.ambiguous = true;
      cost *= counts;
      last = undefined;
      i += text.length;
      continue;
    }
    last = 'atom';
    i += 1;
  }
  if (stack.length !== 1) return undefined;
  const top = stack[0] as Group;
  const anchored = source.startsWith('^') && top.alternatives === 1;
  cost *= top.alternatives;
  return anchored ? cost : cost * (n + 1);
}
