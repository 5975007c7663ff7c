import { findProvider, type Provider } from '@pydantic/genai-prices';
import {
  correctedCost,
  correctionProbes,
  sameCost,
  upstreamCost,
} from '../../core/price/correction-probes.js';
import { PRICE_CORRECTIONS } from '../../core/price/corrections/price-corrections-data.js';

/** What other genai-prices data means for one bundled correction. */
export interface CorrectionVerdict {
  readonly provider: string;
  readonly models: readonly string[];
  /**
   * `redundant`: the other data prices every probe as the correction does.
   * `conflicting`: it differs from both the correction and the installed
   * data somewhere (re-check the source). `needed`: nothing changed.
   */
  readonly status: 'redundant' | 'conflicting' | 'needed';
  /** Probes where the other data disagrees with both. */
  readonly conflicts: readonly string[];
  readonly source: string;
  readonly checked: string;
}

export interface ModelChange {
  readonly provider: string;
  readonly model: string;
  readonly change: 'added' | 'removed' | 'changed';
}

export interface PriceDataDiff {
  readonly corrections: readonly CorrectionVerdict[];
  readonly models: readonly ModelChange[];
}

/** Compares the installed genai-prices data and the corrections with `other`. */
export function diffPriceData(other: readonly Provider[]): PriceDataDiff {
  const probes = correctionProbes(PRICE_CORRECTIONS);
  const corrections = PRICE_CORRECTIONS.map(correction => {
    const own = probes.filter(p => p.correction === correction);
    let agrees = true;
    const conflicts: string[] = [];
    for (const probe of own) {
      const theirs = upstreamCost(probe, other);
      const ours = correctedCost(probe);
      if (sameCost(theirs, ours)) continue;
      agrees = false;
      if (!sameCost(theirs, upstreamCost(probe))) conflicts.push(probe.label);
    }
    const last = correction.prices[correction.prices.length - 1];
    return {
      provider: correction.provider,
      models: correction.models,
      status: agrees
        ? 'redundant'
        : conflicts.length > 0
          ? 'conflicting'
          : 'needed',
      conflicts,
      source: last?.source ?? '',
      checked: last?.checked ?? '',
    } satisfies CorrectionVerdict;
  });
  return { corrections, models: modelChanges(other) };
}

/** Models added, removed or repriced, for every provider in `other`. */
function modelChanges(other: readonly Provider[]): ModelChange[] {
  const changes: ModelChange[] = [];
  for (const provider of other) {
    const installed = findProvider({ providerId: provider.id });
    const before = new Map(
      (installed?.models ?? []).map(m => [m.id, JSON.stringify(m.prices)]),
    );
    const after = new Map(
      provider.models.map(m => [m.id, JSON.stringify(m.prices)]),
    );
    for (const [model, prices] of after) {
      const old = before.get(model);
      if (old === undefined)
        changes.push({ provider: provider.id, model, change: 'added' });
      else if (old !== prices)
        changes.push({ provider: provider.id, model, change: 'changed' });
    }
    for (const model of before.keys()) {
      if (!after.has(model))
        changes.push({ provider: provider.id, model, change: 'removed' });
    }
  }
  return changes;
}
