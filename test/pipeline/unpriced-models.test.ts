import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCostPipeline } from '../../src/pipeline/cost-pipeline.js';
import {
  MAX_UNPRICED_ID_CHARS,
  MAX_UNPRICED_KEYS,
  UnpricedModels,
} from '../../src/pipeline/unpriced-models.js';
import {
  UNPRICED_REASONS,
  type UnpricedReason,
} from '../../src/core/price/cost-result.js';
import type { SpanLike } from '../../src/core/span-like.js';

function chatSpan(id: string, model: string): SpanLike {
  return {
    scopeName: 'test',
    spanId: id,
    traceId: 'ab'.repeat(16),
    parentSpanId: undefined,
    name: `chat ${model}`,
    startTimeMillis: Date.UTC(2026, 5, 1),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
    },
  };
}

describe('UnpricedModels', () => {
  it('counts calls per (reason, provider, model) with first and last seen', () => {
    let now = 1000;
    const record = new UnpricedModels(() => now);
    record.note('unknown_model', 'openai', 'gpt-9');
    now = 2000;
    record.note('unknown_model', 'openai', 'gpt-9');
    record.note('missing_usage', 'openai', 'gpt-9');
    now = 3000;
    record.note('unknown_model', 'openai', 'gpt-9');
    record.note('missing_model', undefined, undefined);
    expect(record.list()).toEqual([
      {
        reason: 'unknown_model',
        provider: 'openai',
        model: 'gpt-9',
        calls: 3,
        firstSeen: 1000,
        lastSeen: 3000,
      },
      {
        reason: 'missing_usage',
        provider: 'openai',
        model: 'gpt-9',
        calls: 1,
        firstSeen: 2000,
        lastSeen: 2000,
      },
      {
        reason: 'missing_model',
        provider: '',
        model: '',
        calls: 1,
        firstSeen: 3000,
        lastSeen: 3000,
      },
    ]);
    expect(record.list(1)).toHaveLength(1);
    expect(record.overflowCalls).toBe(0);
  });

  it('keeps at most 1,000 keys under a flood of 10,000 distinct model ids, and counts the rest', () => {
    const record = new UnpricedModels();
    for (let i = 0; i < 10_000; i++) {
      record.note('unknown_model', 'openai', `flood-${i}-${'x'.repeat(1000)}`);
    }
    // A key kept before the flood still counts its calls afterwards.
    record.note('unknown_model', 'openai', `flood-0-${'x'.repeat(1000)}`);
    expect(MAX_UNPRICED_KEYS).toBe(1000);
    expect(record.size).toBe(1000);
    expect(record.overflowCalls).toBe(9000);
    const list = record.list();
    expect(list).toHaveLength(1000);
    expect(list[0]?.calls).toBe(2);
    expect(list.every(row => row.model.length <= MAX_UNPRICED_ID_CHARS)).toBe(
      true,
    );
    const kept = list.reduce((sum, row) => sum + row.calls, 0);
    expect(kept + record.overflowCalls).toBe(10_001);
  });

  it('keeps about 1 KB per key, not the long ids it was given (10,000 ids of 100,000 characters)', () => {
    const script = join(
      import.meta.dirname,
      'fixtures',
      'unpriced-models-memory.ts',
    );
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const result = JSON.parse(out) as {
      keys: number;
      overflowCalls: number;
      heapBytes: number;
    };
    expect(result.keys).toBe(1000);
    expect(result.overflowCalls).toBe(9000);
    // Kept ids cut to 256 characters: about 1 KB per key. A cut that shared
    // the original's memory would keep 1,000 × 200 KB = 200 MB.
    expect(result.heapBytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('accounts for every call and stays bounded and sorted (generated)', () => {
    const reason = fc.constantFrom(...UNPRICED_REASONS);
    const id = fc.option(fc.string({ maxLength: 300 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(reason, id, id), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (calls, limit) => {
          const record = new UnpricedModels();
          const expected = new Map<string, number>();
          for (const [r, p, m] of calls) {
            record.note(r as UnpricedReason, p, m);
            const key = `${r}|${(p ?? '').slice(0, 256)}|${(m ?? '').slice(0, 256)}`;
            expected.set(key, (expected.get(key) ?? 0) + 1);
          }
          const list = record.list();
          expect(list).toHaveLength(expected.size);
          for (const row of list) {
            expect(row.calls).toBe(
              expected.get(`${row.reason}|${row.provider}|${row.model}`),
            );
          }
          const top = record.list(limit);
          expect(top.length).toBe(Math.min(limit, expected.size));
          for (let i = 1; i < top.length; i++) {
            expect(top[i - 1]!.calls).toBeGreaterThanOrEqual(top[i]!.calls);
          }
          expect(record.overflowCalls).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('CostPipeline.unpricedModels', () => {
  it('records the calls a pipeline counts unpriced, once per record, never the priced ones', () => {
    const pipeline = createCostPipeline();
    const spans = [
      chatSpan('01'.repeat(8), 'gpt-4o-mini'),
      chatSpan('02'.repeat(8), 'no-such-model-zz'),
      chatSpan('03'.repeat(8), 'no-such-model-zz'),
    ];
    for (const span of spans) {
      const outcome = pipeline.evaluate(span, undefined);
      if (outcome.record !== undefined) pipeline.record(outcome.record);
    }
    expect(
      pipeline.unpricedModels
        .list()
        .map(({ reason, provider, model, calls }) => ({
          reason,
          provider,
          model,
          calls,
        })),
    ).toEqual([
      {
        reason: 'unknown_model',
        provider: 'openai',
        model: 'no-such-model-zz',
        calls: 2,
      },
    ]);
  });
});
