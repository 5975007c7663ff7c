/**
 * The gateway's --budgets file: YAML or JSON into BudgetGuard options,
 * every key checked by the rule the option has in code, errors naming the
 * file, line and key (never a secret value), ${VAR} from the environment.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BudgetFileError,
  loadBudgetFile,
  parseBudgetFile,
} from '../../../src/budget/budget-file.js';

const YAML = `# budgets for the gateway
store: \${REDIS_URL}
alertAt: [0.5, 0.8, 1]
onStoreError: deny
webhook:
  url: https://ops.example.com/hooks/budget
  secret: \${BUDGET_WEBHOOK_SECRET}
  maxAttempts: 5
budgets:
  - scope: user
    limitUsd: 5
    window: day
    timezone: Europe/Berlin
  - { scope: tenant, id: acme, limitUsd: 500, window: month }
  - scope: plan
    id: free
    limitUsd: 1
    window: { rollingHours: 24 }
`;
const ENV = {
  REDIS_URL: 'redis://:p4ss@127.0.0.1:6390/0',
  BUDGET_WEBHOOK_SECRET: 'whsec_file',
};

function errorOf(text: string, env: Record<string, string> = ENV): string {
  try {
    parseBudgetFile(text, 'budgets.yaml', env);
  } catch (error) {
    expect(error).toBeInstanceOf(BudgetFileError);
    return (error as Error).message;
  }
  throw new Error('expected a BudgetFileError');
}

describe('budgets file', () => {
  it('reads YAML into BudgetGuard options, variables substituted', () => {
    expect(parseBudgetFile(YAML, 'budgets.yaml', ENV)).toEqual({
      store: 'redis://:p4ss@127.0.0.1:6390/0',
      alertAt: [0.5, 0.8, 1],
      onStoreError: 'deny',
      webhook: {
        url: 'https://ops.example.com/hooks/budget',
        secret: 'whsec_file',
        maxAttempts: 5,
      },
      budgets: [
        {
          scope: 'user',
          limitUsd: 5,
          window: 'day',
          timezone: 'Europe/Berlin',
        },
        { scope: 'tenant', id: 'acme', limitUsd: 500, window: 'month' },
        {
          scope: 'plan',
          id: 'free',
          limitUsd: 1,
          window: { rollingHours: 24 },
        },
      ],
    });
  });

  it('reads the same from JSON, from a file on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budgets-'));
    try {
      const path = join(dir, 'budgets.json');
      await writeFile(
        path,
        JSON.stringify({
          store: 'memory',
          budgets: [{ scope: 'user', limitUsd: 2.5, window: 'week' }],
        }),
      );
      expect(await loadBudgetFile(path, {})).toEqual({
        store: 'memory',
        budgets: [{ scope: 'user', limitUsd: 2.5, window: 'week' }],
      });
      await expect(loadBudgetFile(join(dir, 'missing.yaml'))).rejects.toThrow(
        /missing\.yaml: cannot be read \(ENOENT\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file, line and key of what is wrong', () => {
    const cases: [string, RegExp][] = [
      [
        'budgets:\n  - scope: user\n    limitUsd: -1\n    window: day\n',
        /^budgets\.yaml:3: budgets\.0\.limitUsd: limitUsd must be above 0/,
      ],
      [
        'budgets:\n  - scope: user\n    limitUsd: 1\n    window: fortnight\n',
        /^budgets\.yaml:4: budgets\.0\.window: window must be/,
      ],
      [
        'budgets:\n  - scope: user\n    limitUsd: 1\n    window: day\n    timezone: Mars/Olympus\n',
        /^budgets\.yaml:5: budgets\.0\.timezone: unknown timezone/,
      ],
      [
        'budgets:\n  - scope: team\n    limitUsd: 1\n    window: day\n',
        /^budgets\.yaml:2: budgets\.0\.scope: scope must be/,
      ],
      [
        'budgets:\n  - scope: user\n    limit: 1\n    window: day\n',
        /^budgets\.yaml:3: budgets\.0\.limit: unknown key/,
      ],
      [
        'alertAt: [0.5, -2]\nbudgets: []\n',
        /^budgets\.yaml:1: alertAt: expected at most 100 fractions/,
      ],
      [
        'onStoreError: maybe\nbudgets: []\n',
        /^budgets\.yaml:1: onStoreError: /,
      ],
      [
        'budgets: []\nstores: memory\n',
        /^budgets\.yaml:2: stores: unknown key/,
      ],
      ['store: memory\n', /^budgets\.yaml:1: file: budgets: required/],
      ['budgets: {}\n', /^budgets\.yaml:1: budgets: expected a list/],
      [
        'budgets: []\nwebhook:\n  url: ftp://x\n  secret: s\n',
        /^budgets\.yaml:3: webhook\.url: expected http: or https:/,
      ],
      [
        'budgets: []\nwebhook:\n  url: https://x\n  secret: s\n  retries: 3\n',
        /^budgets\.yaml:5: webhook\.retries: unknown key/,
      ],
      [
        'budgets: []\nbudgets: []\n',
        /^budgets\.yaml:2: not valid YAML or JSON \(DUPLICATE_KEY\)/,
      ],
      ['budgets: [\n', /^budgets\.yaml:\d+: not valid YAML or JSON/],
      ['- just a list\n', /^budgets\.yaml:1: file: expected a map/],
      [
        'store: ${NOPE}\nbudgets: []\n',
        /^budgets\.yaml:1: store: the environment variable NOPE is not set/,
      ],
    ];
    // Found by the property below: an alias to itself.
    cases.push([
      'budgets: []\nx: &a [*a]\n',
      /^budgets\.yaml:2: x\.0\.0: nested too deep/,
    ]);
    for (const [text, expected] of cases)
      expect(errorOf(text), text).toMatch(expected);
  });

  it('never repeats a store URL or a secret in a message', () => {
    const message = errorOf(
      'store: http://user:hunter2@redis:6379\nbudgets: []\n',
    );
    expect(message).toMatch(/^budgets\.yaml:1: store: /);
    expect(message).not.toContain('hunter2');
    const webhook = errorOf(
      'budgets: []\nwebhook:\n  url: ftp://tok3n@x/\n  secret: ${S}\n',
      { S: 'hunter2' },
    );
    expect(webhook).not.toMatch(/hunter2|tok3n/);
  });

  it('any text either loads or fails with a BudgetFileError naming the file (never another error)', () => {
    const lineArb = fc.oneof(
      fc.constantFrom(
        'budgets:',
        '  - scope: user',
        '    limitUsd: 1',
        '    window: day',
        'store: memory',
        'alertAt: [1]',
        '  - { scope: tenant, id: a, limitUsd: 3, window: month }',
        'webhook:',
        '  url: https://x.example',
        '  secret: s',
        '    window: { rollingHours: 0 }',
        '  - []',
        '{',
        '"budgets": [',
        '__proto__: 1',
        'budgets: !!binary aGVsbG8=',
        'x: &a [*a]',
      ),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 12 }), lines => {
        const text = lines.join('\n');
        try {
          const options = parseBudgetFile(text, 'f.yaml', {});
          expect(Array.isArray(options.budgets)).toBe(true);
        } catch (error) {
          expect(error, text).toBeInstanceOf(BudgetFileError);
          expect((error as Error).message).toMatch(/^f\.yaml:\d+: /);
        }
      }),
      { numRuns: 300 },
    );
  });
});
