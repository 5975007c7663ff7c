import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidPriceOverrideError } from '../../src/core/price/price-override.js';
import { CostMetrics } from '../../src/metrics/cost-metrics.js';
import { CostSpanProcessor } from '../../src/processor/cost-span-processor.js';
import { resolveCostSpanProcessorOptions } from '../../src/processor/cost-span-processor-options.js';
import { warningsOf } from '../config/warnings.js';

const dir = mkdtempSync(join(tmpdir(), 'processor-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function metricsOf(sinks: readonly unknown[]): CostMetrics {
  const metrics = sinks.find(sink => sink instanceof CostMetrics);
  expect(metrics).toBeInstanceOf(CostMetrics);
  return metrics as CostMetrics;
}

describe('resolveCostSpanProcessorOptions', () => {
  // Review of issue 10, finding 7: the processor's env reaches its CostMetrics.
  it('the default CostMetrics reads the env given to the processor', () => {
    const env = {
      OTEL_GENAI_COST_METRICS_TENANTS: 'acme',
      OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS: '7',
    };
    for (const options of [
      {},
      { metrics: true },
      { metrics: { tenantTopK: 0 } },
    ]) {
      const { sinks } = resolveCostSpanProcessorOptions({ env, ...options });
      expect(metricsOf(sinks).policy.options.maxLabelSets).toBe(7);
    }
  });

  it('a CostMetrics given its own env keeps it', () => {
    const { sinks } = resolveCostSpanProcessorOptions({
      env: { OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS: '7' },
      metrics: { env: { OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS: '9' } },
    });
    expect(metricsOf(sinks).policy.options.maxLabelSets).toBe(9);
  });

  it('a bad metrics variable in the given env is warned about, with the default used', () => {
    const warnings = warningsOf(() => {
      const { sinks } = resolveCostSpanProcessorOptions({
        env: { OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS: '-1' },
      });
      expect(metricsOf(sinks).policy.options.maxLabelSets).toBe(300);
    });
    expect(warnings.join('\n')).toContain(
      'OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS',
    );
  });
});

// Review of issue 10, finding 3 (decision: the one deliberate exception to
// "warn and go on"): bad price overrides throw at construction, naming the
// file and the entry.
describe('bad price overrides stop the processor at construction', () => {
  const bad = join(dir, 'bad-prices.json');
  writeFileSync(
    bad,
    JSON.stringify([{ model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 1 }]),
  );

  it.each([
    [{ priceOverridesFile: bad }, `${bad}: price override #1 (x)`],
    [
      { env: { OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: bad } },
      `${bad}: price override #1 (x)`,
    ],
    [
      { overrides: [{ model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 1 }] },
      'price override #1 (x)',
    ],
  ])('%j', (options, message) => {
    let thrown: unknown;
    try {
      new CostSpanProcessor({ env: {}, metrics: false, ...options });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidPriceOverrideError);
    expect((thrown as Error).message).toContain(message);
  });
});
