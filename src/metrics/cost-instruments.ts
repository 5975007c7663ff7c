/**
 * The five cost counters and how a label set becomes their attributes.
 * Names and units are in metric-names.ts.
 */
import type {
  Attributes,
  BatchObservableCallback,
  Meter,
  MeterProvider,
  ObservableCounter,
} from '@opentelemetry/api';
import type { TokenUsage } from '../core/llm-call.js';
import type { CostLabels } from './label-policy.js';
import {
  LABEL_MODEL,
  LABEL_PLAN,
  LABEL_PROVIDER,
  LABEL_TENANT,
  METRIC_CALLS,
  METRIC_COST,
  METRIC_LABEL_OVERFLOW,
  METRIC_TOKENS,
  METRIC_UNPRICED_CALLS,
  UNIT_CALL,
  UNIT_TOKEN,
  UNIT_USD,
  type TokenType,
} from './metric-names.js';

export const METER_NAME = 'otel-genai-cost';

export interface Instruments {
  readonly cost: ObservableCounter;
  readonly tokens: ObservableCounter;
  readonly calls: ObservableCounter;
  readonly unpriced: ObservableCounter;
  readonly overflow: ObservableCounter;
}

/**
 * Observable counters (values are reported at collection by `observe`), and
 * a function that unregisters the callback.
 */
export function createInstruments(
  provider: MeterProvider,
  observe: (
    result: Parameters<BatchObservableCallback>[0],
    instruments: Instruments,
  ) => void,
): { instruments: Instruments; unregister: () => void } {
  const meter: Meter = provider.getMeter(METER_NAME);
  const instruments: Instruments = {
    cost: meter.createObservableCounter(METRIC_COST, {
      unit: UNIT_USD,
      description: 'Cost of LLM calls, in USD (priced calls only).',
    }),
    tokens: meter.createObservableCounter(METRIC_TOKENS, {
      unit: UNIT_TOKEN,
      description:
        'Tokens of LLM calls by gen_ai.token.type; input and output are totals, cache_read and cache_write are part of input, reasoning is part of output.',
    }),
    calls: meter.createObservableCounter(METRIC_CALLS, {
      unit: UNIT_CALL,
      description: 'LLM calls evaluated for cost, priced or not.',
    }),
    unpriced: meter.createObservableCounter(METRIC_UNPRICED_CALLS, {
      unit: UNIT_CALL,
      description: 'LLM calls left without a cost figure, by reason.',
    }),
    overflow: meter.createObservableCounter(METRIC_LABEL_OVERFLOW, {
      unit: UNIT_CALL,
      description:
        'LLM calls whose label value was replaced by other or a hash bucket, by label.',
    }),
  };
  const all = Object.values(instruments);
  const callback: BatchObservableCallback = result =>
    observe(result, instruments);
  meter.addBatchObservableCallback(callback, all);
  return {
    instruments,
    unregister: () => meter.removeBatchObservableCallback(callback, all),
  };
}

export function toAttributes(labels: CostLabels): Attributes {
  return {
    [LABEL_PROVIDER]: labels.provider,
    [LABEL_MODEL]: labels.model,
    [LABEL_PLAN]: labels.plan,
    [LABEL_TENANT]: labels.tenant,
  };
}

export function labelSetKey(labels: CostLabels): string {
  return `${labels.provider}\u0000${labels.model}\u0000${labels.plan}\u0000${labels.tenant}`;
}

export function tokenCount(usage: TokenUsage, type: TokenType): number {
  switch (type) {
    case 'input':
      return usage.inputTokens;
    case 'output':
      return usage.outputTokens;
    case 'cache_read':
      return usage.cacheReadTokens;
    case 'cache_write':
      return usage.cacheWriteTokens;
    case 'reasoning':
      return usage.reasoningTokens;
  }
}
