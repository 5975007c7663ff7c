/**
 * CI smoke test of `npm run bench:quick`: the whole suite runs end to end
 * and writes a well-formed result. No timing is asserted (timings belong to
 * `npm run bench` on a quiet machine); what is asserted is deterministic.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  validateBenchResult,
  type BenchResult,
} from '../../bench/report/bench-result.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'bench-quick-'));
const out = join(dir, 'quick.json');
let result: BenchResult;

// The quick bench takes well under a minute on a quiet 2-core machine; the
// limits are loose so that a loaded machine (other jobs, parallel test
// files) slows it down without failing it: this is a smoke test, not a
// timing assertion.
beforeAll(async () => {
  await run(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out],
    { cwd: join(import.meta.dirname, '../..'), timeout: 240_000 },
  );
  result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
}, 250_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench:quick', () => {
  it('writes a well-formed result and its Markdown tables', () => {
    expect(validateBenchResult(result)).toEqual([]);
    expect(result.mode).toBe('quick');
    expect(existsSync(join(dir, 'quick.md'))).toBe(true);
  });

  it('rejects a malformed result', () => {
    const broken = { ...result, machine: { cores: 'two' }, spanOverhead: [] };
    expect(validateBenchResult(broken)).toEqual(
      expect.arrayContaining([
        'machine (cpuModel, cores, nodeVersion)',
        'spanOverhead: not a non-empty array',
      ]),
    );
  });

  it('measures the priced path: every LLM shape was priced from the table', () => {
    const llm = result.shapeChecks.filter(c => c.source !== undefined);
    expect(llm.map(c => c.shape)).toEqual([
      'gen_ai_chat',
      'ai_sdk_v6_do_generate',
      'ai_sdk_v7_chat',
      'openinference_llm',
      'gen_ai_chat_tiered',
    ]);
    for (const check of llm) {
      expect(check.source).toBe('price_table');
      expect(check.costUsd).toBeGreaterThan(0);
    }
  });

  it('frees the exactly-once bookkeeping of ended local spans', () => {
    const local = result.inFlight.filter(c => c.id !== 'nested_remote_parent');
    expect(local.map(c => c.id)).toEqual(['independent', 'nested']);
    for (const c of local) {
      expect(c.peakTrackedEntries).toBeGreaterThan(0);
      expect(c.coverageEntriesAfter).toBe(0);
    }
  });

  it('keeps the metric series within the configured bound', () => {
    expect(result.identities.seriesTotal).toBeGreaterThan(0);
    expect(result.identities.seriesWithinBound).toBe(true);
  });
});
