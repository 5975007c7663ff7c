/**
 * Hostile budgets files: alias bombs, nesting 5,000 deep, prototype keys,
 * numbers past a double, custom tags. Each is refused with a
 * BudgetFileError naming the file (or loads without the hostile part),
 * and no object prototype is touched.
 */
import { describe, expect, it } from 'vitest';
import {
  BudgetFileError,
  parseBudgetFile,
} from '../../../src/budget/budget-file.js';

function aliasBomb(): string {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  let previous = 'a';
  for (const name of 'bcdefghij') {
    lines.push(
      `${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`,
    );
    previous = name;
  }
  return `${lines.join('\n')}\nbudgets: *j\n`;
}

const REFUSED: Record<string, string> = {
  'alias bomb (10^9 nodes)': aliasBomb(),
  'nesting 5,000 deep': `budgets: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  'limitUsd past a double':
    'budgets:\n  - { scope: user, limitUsd: 1e400, window: day }\n',
  'rollingHours 1e300':
    'budgets:\n  - { scope: user, limitUsd: 1, window: { rollingHours: 1e300 } }\n',
  'a custom tag': 'budgets: !!js/function "return 1"\n',
  'constructor.prototype':
    'budgets:\n  - { scope: user, limitUsd: 1, window: day }\nconstructor: { prototype: { polluted: 1 } }\n',
  'alertAt NaN and Infinity':
    'budgets:\n  - { scope: user, limitUsd: 1, window: day }\nalertAt: [.nan, .inf]\n',
  'a merge key from an unknown key':
    'base: &b { scope: user, limitUsd: 1, window: day }\nbudgets:\n  - { <<: *b }\n',
};

describe('hostile budgets files', () => {
  it.each(Object.entries(REFUSED))(
    'refuses %s with a BudgetFileError naming the file',
    (_name, text) => {
      expect(() => parseBudgetFile(text, 'budgets.yaml')).toThrow(
        BudgetFileError,
      );
      expect(() => parseBudgetFile(text, 'budgets.yaml')).toThrow(
        /^budgets\.yaml:\d+: /,
      );
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );

  it('drops __proto__ keys, at the top and in a budget, polluting nothing', () => {
    const options = parseBudgetFile(
      'budgets:\n  - { scope: user, limitUsd: 1, window: day, __proto__: { polluted: 1 } }\n__proto__: { polluted: 1 }\n',
      'budgets.yaml',
    );
    expect(options.budgets).toEqual([
      { scope: 'user', limitUsd: 1, window: 'day' },
    ]);
    expect(Object.getPrototypeOf(options.budgets[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
