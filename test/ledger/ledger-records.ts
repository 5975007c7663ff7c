/** Keyed `CostRecord`s for the ledger tests, priced from published rates. */
import type { CostRecord } from '../../src/core/cost-record.js';
import { GPT_4O_MINI } from '../helpers/prices.js';
import { call, identity, usage } from '../metrics/records.js';

/** The trace and span ids of key `n` (distinct n, distinct keys). */
export function keyOf(n: number): { traceId: string; spanId: string } {
  return {
    traceId: (n % 7).toString(16).padStart(32, 'a'),
    spanId: n.toString(16).padStart(16, '0'),
  };
}

/** The cost of key `n`'s call at gpt-4o-mini's $0.15 / $0.60 per M, in nano-dollars. */
export function nanoUsdOf(n: number): number {
  const { input, output } = tokensOf(n);
  return (
    Math.round(input * GPT_4O_MINI.input * 1000) +
    Math.round(output * (GPT_4O_MINI.output as number) * 1000)
  );
}

function tokensOf(n: number): { input: number; output: number } {
  return {
    input: 1 + ((n * 7919) % 50_000),
    output: 1 + ((n * 104_729) % 4_000),
  };
}

/** Key `n`'s call: the same content every time it is delivered. */
export function keyedRecord(n: number, userId = `u-${n % 5}`): CostRecord {
  const { input, output } = tokensOf(n);
  const inputUsd = (input * GPT_4O_MINI.input) / 1e6;
  const outputUsd = (output * (GPT_4O_MINI.output as number)) / 1e6;
  return {
    call: {
      ...call('openai', 'gpt-4o-mini', usage(input, output)),
      startTimeMillis: 1_764_460_800_000 + n,
    },
    cost: {
      priced: true,
      source: 'price_table',
      totalUsd: inputUsd + outputUsd,
      modelId: 'gpt-4o-mini',
      inputUsd,
      outputUsd,
      cacheReadUsd: 0,
      cacheWriteUsd: 0,
      priceVersion: 'test',
    },
    identity: identity({ userId, tenantId: `t-${n % 3}` }),
    ...keyOf(n),
  };
}
