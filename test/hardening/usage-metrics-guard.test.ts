/**
 * The last line of defence: a `CostRecord` carrying a non-finite, negative
 * or absurd cost or token count (which the pricer never produces, but a
 * custom pipeline could) is counted as a call, its values are refused, and
 * one warning says so. A counter can never come back down.
 */
import {
  diag,
  DiagLogLevel,
  metrics,
  type DiagLogger,
} from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { CostResult } from '../../src/core/price/cost-result.js';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import {
  pointsByMetric,
  setupMeter,
  sumBy,
  total,
} from '../metrics/collecting-reader.js';
import { call, identity, record, usage } from '../metrics/records.js';

afterEach(() => {
  diag.disable();
  metrics.disable();
});

function priced(totalUsd: number): CostResult {
  return {
    priced: true,
    source: 'price_table',
    totalUsd,
    inputUsd: totalUsd,
    outputUsd: 0,
    cacheReadUsd: 0,
    cacheWriteUsd: 0,
    modelId: 'gpt-4o',
    priceVersion: 'test',
  };
}

describe('CostMetrics refuses values no valid call carries', () => {
  it('NaN, Infinity, negative and above-cap costs; non-finite, fractional and above-ceiling token counts', async () => {
    const warnings: string[] = [];
    const logger: DiagLogger = {
      error: () => {},
      warn: (message: string) => warnings.push(message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger, {
      logLevel: DiagLogLevel.WARN,
      suppressOverrideMessage: true,
    });
    const { reader, meterProvider } = setupMeter();
    const costMetrics = new CostMetrics({ meterProvider, env: {} });
    const good = usage(1000, 500);
    costMetrics.record(
      record(call('openai', 'gpt-4o', good), priced(0.0075), identity({})),
    );
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -1,
      5e302,
      1_000_001,
    ]) {
      costMetrics.record(
        record(call('openai', 'gpt-4o', good), priced(bad), identity({})),
      );
    }
    for (const tokens of [
      usage(1e308, 10),
      usage(Number.POSITIVE_INFINITY, 10),
      usage(Number.NaN, 10),
      usage(10, 1.5),
      usage(10, 1_000_000_001),
    ]) {
      costMetrics.record(
        record(call('openai', 'gpt-4o', tokens), priced(0), identity({})),
      );
    }
    const points = pointsByMetric(await reader.collect());
    // Only the good call's cost; the refused calls' other values still count.
    expect(total(points.get('gen_ai.client.cost'))).toBe(0.0075);
    expect(total(points.get('gen_ai.client.cost.calls'))).toBe(11);
    const tokens = Object.fromEntries(
      sumBy(points.get('gen_ai.client.cost.tokens') ?? [], 'gen_ai.token.type'),
    );
    // Six calls with the good usage (1000 in, 500 out); of the five with a
    // bad count, the bad count is refused and the other (10) is counted.
    expect(tokens).toEqual({ input: 6000 + 20, output: 3000 + 30 });
    for (const list of points.values()) {
      for (const point of list) expect(Number.isFinite(point.value)).toBe(true);
    }
    expect(
      warnings.filter(message => message.includes('refused')),
    ).toHaveLength(1);
    await meterProvider.shutdown();
  });
});
