/**
 * The cost totals refuse a token count no valid call carries (non-finite,
 * negative, fractional, above `MAX_TOKEN_COUNT`): the call and every valid
 * count are still added, the refused one is not, and one diag warning says
 * so (once per sink).
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TOKEN_COUNT } from '../../src/core/normalize/token-count.js';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import { pointsByMetric, setupMeter } from './collecting-reader.js';
import { call, identity, pricedMicro, record, usage } from './records.js';

afterEach(() => {
  diag.disable();
});

const BAD_COUNTS = [Number.NaN, -1, 1.5, MAX_TOKEN_COUNT + 1, Infinity];
const KINDS = [
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
  ['cacheReadTokens', 'cache_read'],
  ['cacheWriteTokens', 'cache_write'],
  ['reasoningTokens', 'reasoning'],
] as const;

describe('cost totals: invalid token counts', () => {
  for (const [field, type] of KINDS) {
    it(`refuses an invalid ${type} count and keeps the others`, async () => {
      const warnings: unknown[] = [];
      diag.setLogger(
        {
          error: () => {},
          warn: (...args) => warnings.push(args),
          info: () => {},
          debug: () => {},
          verbose: () => {},
        },
        DiagLogLevel.WARN,
      );
      const { reader, meterProvider } = setupMeter();
      const sink = new CostMetrics({ meterProvider, env: {} });
      const valid = {
        inputTokens: 1_000,
        outputTokens: 300,
        cacheReadTokens: 200,
        cacheWriteTokens: 100,
        reasoningTokens: 50,
      };
      for (const bad of BAD_COUNTS) {
        sink.record(
          record(
            call('openai', 'gpt-4o', usage(0, 0, { ...valid, [field]: bad })),
            pricedMicro(1, 'price_table', 'gpt-4o'),
            identity({}),
          ),
        );
      }
      const points = pointsByMetric(await reader.collect());
      const tokens = new Map(
        (points.get('gen_ai.client.cost.tokens') ?? []).map(point => [
          point.attributes['gen_ai.token.type'],
          point.value,
        ]),
      );
      const expected = new Map<string, number>();
      for (const [other, otherType] of KINDS) {
        if (other !== field) expected.set(otherType, valid[other] * 5);
      }
      expect(tokens).toEqual(expected);
      expect(
        (points.get('gen_ai.client.cost.calls') ?? []).map(p => p.value),
      ).toEqual([5]);
      expect(warnings).toHaveLength(1);
      await meterProvider.shutdown();
    });
  }
});
