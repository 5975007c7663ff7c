/**
 * A user's project type-checks against the built package's entries: a
 * consumer in a temporary directory, with the package linked into its
 * node_modules, compiled by tsc as ESM (NodeNext), as CommonJS (NodeNext,
 * `.cts`) and with the legacy `node10` resolution (`typesVersions`). Runs
 * against the built package (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'otel-genai-cost-consumer-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(ROOT, join(dir, 'node_modules', 'otel-genai-cost'), 'dir');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Fails to compile if a name is unresolved or typed `any`. */
const BODY = `
type IsAny<T> = 0 extends 1 & T ? true : false;
type Typed<T> = IsAny<T> extends true ? never : T;
const result: Typed<CostResult> = createPricer().price({
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 1000 },
});
const key: Typed<'gen_ai.usage.cost'> = ATTR_COST;
const processor: Typed<CostSpanProcessor> = new CostSpanProcessor();
const engine: Typed<typeof CostEngine> = CostEngine;
const span: Typed<SpanLike> | undefined = undefined;
const handler: Typed<typeof createPrometheusHandler> = createPrometheusHandler;
export { result, key, processor, engine, span, handler };
`;
const IMPORTS = [
  "import { CostSpanProcessor, createPricer, type CostResult } from 'otel-genai-cost';",
  "import { CostEngine, type SpanLike } from 'otel-genai-cost/core';",
  "import { ATTR_COST } from 'otel-genai-cost/semconv';",
  "import { createPrometheusHandler } from 'otel-genai-cost/prometheus';",
].join('\n');

function compile(
  name: string,
  file: string,
  compilerOptions: Record<string, unknown>,
): string {
  writeFileSync(join(dir, file), `${IMPORTS}\n${BODY}`);
  const tsconfig = join(dir, `tsconfig.${name}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: 'ES2022',
        lib: ['ES2022'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        ...compilerOptions,
      },
      files: [file],
    }),
  );
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig],
      { encoding: 'utf8', cwd: dir },
    );
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe('a consumer project', () => {
  it('type-checks every entry as ESM (NodeNext)', () => {
    expect(
      compile('esm', 'consumer.mts', {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
      }),
    ).toBe('');
  });

  it('type-checks every entry as CommonJS (NodeNext, .cts)', () => {
    expect(
      compile('cjs', 'consumer.cts', {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
      }),
    ).toBe('');
  });

  it('type-checks every entry with node10 resolution (typesVersions)', () => {
    expect(
      compile('node10', 'consumer.ts', {
        module: 'CommonJS',
        moduleResolution: 'Node10',
        esModuleInterop: true,
      }),
    ).toBe('');
  });
});
