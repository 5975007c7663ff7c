/**
 * The read floor's prebuilt price Map (`floor-read-processor.ts`): the
 * bench's models only, at their published prices per million tokens
 * (OpenAI gpt-4o-mini: $0.15 input, $0.60 output, $0.075 cached input;
 * Anthropic claude-sonnet-4-5: $3 / $15, cache read $0.30, cache write
 * $3.75, and above 200k input tokens $6 / $22.50 / $0.60 / $7.50), as per
 * token rates. Keyed by the provider and model strings the emitters write,
 * so a look-up is two Map reads with no normalizing; `floor-run.ts` checks
 * the floor writes what `CostSpanProcessor` writes on every shape.
 */
import { fnv1a32 } from '../../src/metrics/fnv1a.js';

export const FLOOR_PRICE_VERSION = 'genai-prices@0.1.8+corrections.2026-11-30';

export interface FloorRates {
  /** USD per token. */
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** Reasoning tokens' own rate, when the model has one. */
  readonly reasoning: number | undefined;
}

export interface FloorPrice extends FloorRates {
  /** Input tokens above which `above` applies (long-context tier). */
  readonly threshold: number;
  readonly above: FloorRates | undefined;
  /** Label values of the counter. */
  readonly providerLabel: string;
  readonly modelLabel: string;
}

const PER_MTOK = 1e-6;

function rates(
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
): FloorRates {
  return {
    input: input * PER_MTOK,
    output: output * PER_MTOK,
    cacheRead: cacheRead * PER_MTOK,
    cacheWrite: cacheWrite * PER_MTOK,
    reasoning: undefined,
  };
}

/** provider -> model -> price, as the emitters spell them. */
export function floorPrices(): Map<string, Map<string, FloorPrice>> {
  const mini: FloorPrice = {
    ...rates(0.15, 0.6, 0.075, 0.15),
    threshold: Number.POSITIVE_INFINITY,
    above: undefined,
    providerLabel: 'openai',
    modelLabel: 'gpt-4o-mini',
  };
  const sonnet: FloorPrice = {
    ...rates(3, 15, 0.3, 3.75),
    threshold: 200_000,
    above: rates(6, 22.5, 0.6, 7.5),
    providerLabel: 'anthropic',
    modelLabel: 'claude-sonnet-4-5',
  };
  const openai = new Map([
    ['gpt-4o-mini', mini],
    ['gpt-4o-mini-2024-07-18', mini],
  ]);
  return new Map([
    ['openai', openai],
    ['openai.chat', openai],
    [
      'anthropic',
      new Map([
        ['claude-sonnet-4-5', sonnet],
        ['claude-sonnet-4-5-20250929', sonnet],
      ]),
    ],
  ]);
}

/** `bucket-NN` of a tenant past the named ones (as `LabelPolicy`). */
export function floorLabelOf(tenantId: string, buckets: number): string {
  const width = String(Math.max(buckets - 1, 0)).length;
  return `bucket-${String(fnv1a32(tenantId) % buckets).padStart(width, '0')}`;
}
