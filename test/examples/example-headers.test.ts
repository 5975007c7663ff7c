/**
 * Examples are what a user copies: each imports only `otel-genai-cost` and
 * its public subpaths, says in its header how to run it, and is run by a
 * test. The examples that need no key or server are also run here exactly
 * as their header says (`npx tsx examples/...`, in a child process: tsx
 * resolves the package name through tsconfig paths, no build needed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsd } from '../helpers/cost-assertions.js';
import {
  CLAUDE_SONNET_4_5,
  GPT_4O_MINI,
  expectedCost,
} from '../helpers/prices.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  readonly name: string;
  readonly exports: Record<string, unknown>;
};
const publicNames = new Set(
  Object.keys(pkg.exports)
    .filter(subpath => subpath !== './package.json')
    .map(subpath =>
      subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    ),
);

/** The files a user runs or copies: each example's main.ts, every registration snippet. */
const ENTRY_FILES = [
  ...readdirSync('examples', { withFileTypes: true })
    .filter(entry => entry.isDirectory() && entry.name !== 'registration')
    .map(entry => `examples/${entry.name}/main.ts`),
  ...readdirSync('examples/registration')
    .filter(name => name.endsWith('.ts'))
    .map(name => `examples/registration/${name}`),
];

function header(file: string): string {
  return /^\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith(suffix))
    .map(file => join(dir, file));
}

const TEST_SOURCES = filesUnder('test', '.ts').map(file => ({
  file,
  source: readFileSync(file, 'utf8'),
}));

/** Runs `npx tsx <file>` as its header says, without npx's registry look-up. */
function runWithTsx(file: string, args: readonly string[] = []): string {
  return execFileSync(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', file, ...args],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env } },
  );
}

/** `'gen_ai.usage.cost': 0.000255` as ConsoleSpanExporter prints it. */
function printedCosts(output: string): number[] {
  return [...output.matchAll(/'gen_ai\.usage\.cost': ([\d.e-]+)/g)].map(m =>
    Number(m[1]),
  );
}

describe('examples', () => {
  it('finds every example', () => {
    expect(ENTRY_FILES.length).toBeGreaterThanOrEqual(13);
    for (const file of ENTRY_FILES) expect(existsSync(file), file).toBe(true);
  });

  it.each(filesUnder('examples', '.ts'))(
    '%s imports only the package and its public subpaths',
    file => {
      const specifiers = [
        ...readFileSync(file, 'utf8').matchAll(
          /\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g,
        ),
      ].map(match => match[1] ?? '');
      for (const specifier of specifiers) {
        expect(specifier, `${file}: ${specifier}`).not.toMatch(/(^|\/)src\//);
        if (specifier.startsWith(pkg.name)) {
          expect(publicNames.has(specifier), `${file}: ${specifier}`).toBe(
            true,
          );
        }
      }
    },
  );

  it.each(ENTRY_FILES)('%s says how to run it, and a test runs it', file => {
    const text = header(file);
    const tsx = /npx tsx (examples\/\S+\.ts)/.exec(text)?.[1];
    const vitest = /npx vitest run (test\/\S+\.test\.ts)/.exec(text)?.[1];
    const demo = file === 'examples/demo/main.ts' && /npm run demo/.test(text);
    expect(
      tsx === file || vitest !== undefined || demo,
      `${file}: its header names no way to run it`,
    ).toBe(true);
    if (vitest !== undefined) expect(existsSync(vitest), vitest).toBe(true);
    const module = `${file.replace(/\.ts$/, '')}.js`;
    const runners = TEST_SOURCES.filter(
      ({ file: test, source }) =>
        test.endsWith('.test.ts') && source.includes(`../../${module}'`),
    ).map(({ file: test }) => test);
    expect(runners, `no test imports ${module}`).not.toEqual([]);
    if (vitest !== undefined) expect(runners).toContain(vitest);
  });
});

describe('examples run as their header says', () => {
  it('npx tsx examples/ai-sdk-v6-metadata/main.ts: one priced call, billed to the user', () => {
    const output = runWithTsx('examples/ai-sdk-v6-metadata/main.ts');
    expect(output).toContain("'user.id': 'user-42'");
    // 200 uncached + 1,000 cached input, 250 output (gpt-4o-mini list prices).
    const expected = expectedCost(GPT_4O_MINI, {
      uncachedInput: 200,
      cacheRead: 1000,
      output: 250,
    });
    const costs = printedCosts(output);
    expect(costs).toHaveLength(1);
    expectUsd(costs[0], expected.total);
  });

  it('npx tsx examples/ai-sdk-v7-otel/main.ts: one priced chat span', () => {
    const output = runWithTsx('examples/ai-sdk-v7-otel/main.ts');
    expect(output).toContain("'user.id': 'user-7'");
    // 500 uncached input, 2,000 cache reads, 500 cache writes, 400 output.
    const expected = expectedCost(CLAUDE_SONNET_4_5, {
      uncachedInput: 500,
      cacheRead: 2000,
      cacheWrite: 500,
      output: 400,
    });
    const costs = printedCosts(output);
    expect(costs).toHaveLength(1);
    expectUsd(costs[0], expected.total);
  });

  it('npm run demo (tsx examples/demo/main.ts): per-tenant tables and a total', () => {
    const output = runWithTsx('examples/demo/main.ts', [
      '--calls',
      '40',
      '--rate',
      '400',
      '--seed',
      '3',
      '--users',
      '5',
      '--tenants',
      '2',
      '--metrics-port',
      '0',
    ]);
    expect(output).toMatch(/^Per tenant \(2 tenants\)$/m);
    expect(output).toMatch(/^Total: \$\d+\.\d{6} over 40 LLM calls/m);
  });
});
