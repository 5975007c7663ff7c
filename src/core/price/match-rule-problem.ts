import {
  MAX_REGEX_COST,
  MAX_REGEX_COST_TOTAL,
  MAX_REGEX_LENGTH,
  regexMatchCost,
} from './regex-match-cost.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MATCH_KEYS = [
  'or',
  'and',
  'equals',
  'starts_with',
  'ends_with',
  'contains',
  'regex',
];
/**
 * Most match rules (`equals`, `regex`, ...) in one data file: a new model
 * id is matched against them inside `span.end()`, so their number bounds
 * that time (genai-prices' own data: 2,645 rules).
 */
export const MAX_PRICE_DATA_RULES = 50_000;

/** What the rules of one data file have used so far. */
export interface MatchBudget {
  regexCost: number;
  rules: number;
}

/** Deepest match rule (genai-prices' own: 3). */
const MAX_MATCH_DEPTH = 8;

/**
 * Why a match rule (`{ or: [...] }`, `{ equals: "..." }`, `{ regex }`,
 * ...) is not usable, or undefined. A rule runs on every new model id
 * inside `span.end()`: one that would throw (not a rule, a bad regex) or
 * could backtrack without bound (`regexMatchCost`) refuses the whole file,
 * since skipping it could let a broader rule price the model.
 */
export function matchRuleProblem(
  logic: unknown,
  depth: number,
  budget: MatchBudget,
): string | undefined {
  if (depth > MAX_MATCH_DEPTH) return `nested deeper than ${MAX_MATCH_DEPTH}`;
  if (!isObject(logic)) return 'a rule is not an object';
  const keys = Object.keys(logic);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !MATCH_KEYS.includes(key)) {
    return `a rule needs exactly one of ${MATCH_KEYS.join(', ')}`;
  }
  const value = logic[key];
  if (key === 'or' || key === 'and') {
    if (!Array.isArray(value) || value.length === 0)
      return `${key} needs a list of rules`;
    for (const inner of value) {
      const why = matchRuleProblem(inner, depth + 1, budget);
      if (why !== undefined) return why;
    }
    return undefined;
  }
  if (typeof value !== 'string') return `${key} needs a string`;
  if (++budget.rules > MAX_PRICE_DATA_RULES) {
    return `more than ${MAX_PRICE_DATA_RULES} match rules in all`;
  }
  if (key !== 'regex') return undefined;
  // The bound first: it also refuses a regex too long to compile quickly.
  const cost = regexMatchCost(value);
  if (cost === undefined || cost > MAX_REGEX_COST) {
    return `a regex that can backtrack too long (nested or many quantifiers, backreferences, over ${MAX_REGEX_LENGTH} characters)`;
  }
  try {
    // Compiled lazily: test once so a regex V8 cannot build fails here.
    new RegExp(value).test('');
  } catch {
    return 'an invalid regex';
  }
  budget.regexCost += cost;
  if (budget.regexCost > MAX_REGEX_COST_TOTAL) {
    return 'regexes that together can backtrack too long';
  }
  return undefined;
}
