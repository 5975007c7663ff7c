import { normalizeProvider } from '../normalize/normalize-provider.js';
import { cleanModelId } from './clean-model-id.js';
import { InvalidPriceOverrideError } from './invalid-price-override-error.js';
import {
  compileDatedPrice,
  PriceSchedule,
  type DatedPrice,
  type PricePeriod,
} from './price-schedule.js';

export { InvalidPriceOverrideError } from './invalid-price-override-error.js';

/**
 * A price of your own for a model, in USD per million tokens. Wins over the
 * bundled prices. Cache rates default to the input rate. Optional
 * long-context `tiers` and an `effectiveFrom` date; several entries for the
 * same provider and model with different dates form a price history, and a
 * call is priced by the entry in force at its start time (before the
 * earliest one, the bundled prices apply).
 */
export interface PriceOverride extends DatedPrice {
  /** GenAI provider name; omit to match the model from any provider. */
  readonly provider?: string;
  /** Exact model id (case-insensitive), or a prefix ending in `*`. */
  readonly model: string;
}

/** An override plus the model id to report (corrections name the model). */
export interface PriceEntry extends PriceOverride {
  readonly modelId?: string;
}

interface CompiledOverride {
  readonly provider: string | undefined;
  readonly model: string;
  readonly prefix: boolean;
  readonly modelId: string;
  readonly schedule: PriceSchedule;
}

/** What a model resolves to: the id to report and its rates over time. */
export interface ScheduledPrice {
  readonly modelId: string;
  readonly schedule: PriceSchedule;
}

/** Looks up overrides: exact matches first, then the longest prefix. */
export class PriceOverrides {
  private readonly _entries: readonly CompiledOverride[];

  constructor(overrides: readonly PriceEntry[]) {
    this._entries = compileAll(overrides).sort(
      (a, b) =>
        Number(a.prefix) - Number(b.prefix) || b.model.length - a.model.length,
    );
  }

  get size(): number {
    return this._entries.length;
  }

  /** The matching entry's schedule and model id (`prefix*` for prefixes). */
  find(
    provider: string | undefined,
    model: string,
  ): ScheduledPrice | undefined {
    if (this._entries.length === 0) return undefined;
    const id = cleanModelId(model).toLowerCase();
    for (const entry of this._entries) {
      if (entry.provider !== undefined && entry.provider !== provider) continue;
      if (entry.prefix ? id.startsWith(entry.model) : id === entry.model) {
        return { modelId: entry.modelId, schedule: entry.schedule };
      }
    }
    return undefined;
  }
}

const ENTRY_KEYS = ['provider', 'model', 'modelId'];

/** Compiles every entry; entries for one (provider, model) share a schedule. */
function compileAll(overrides: readonly PriceEntry[]): CompiledOverride[] {
  if (!Array.isArray(overrides)) {
    throw new InvalidPriceOverrideError('price overrides must be a list');
  }
  const groups = new Map<
    string,
    {
      provider: string | undefined;
      model: string;
      prefix: boolean;
      modelId: string;
      periods: PricePeriod[];
    }
  >();
  overrides.forEach((override, index) => {
    const where = `price override #${index + 1}`;
    if (override === null || typeof override !== 'object') {
      throw new InvalidPriceOverrideError(`${where}: not an object`);
    }
    if (typeof override.model !== 'string' || override.model.trim() === '') {
      throw new InvalidPriceOverrideError(
        `${where}: "model" must be a non-empty string`,
      );
    }
    if (
      override.provider !== undefined &&
      typeof override.provider !== 'string'
    ) {
      throw new InvalidPriceOverrideError(
        `${where} (${override.model}): "provider" must be a string`,
      );
    }
    const period = compileDatedPrice(
      override,
      `${where} (${override.model})`,
      ENTRY_KEYS,
    );
    const raw = override.model.trim().toLowerCase();
    const prefix = raw.endsWith('*');
    const model = prefix ? raw.slice(0, -1) : cleanModelId(raw);
    const provider = normalizeProvider(override.provider);
    const key = `${provider ?? ''}\u0000${prefix ? '*' : ''}${model}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        provider,
        model,
        prefix,
        modelId: override.modelId ?? (prefix ? `${model}*` : model),
        periods: [],
      };
      groups.set(key, group);
    }
    if (group.periods.some(p => p.fromMs === period.fromMs)) {
      throw new InvalidPriceOverrideError(
        `${where} (${override.model}): another entry for this provider and model has the same "effectiveFrom"`,
      );
    }
    group.periods.push(period);
  });
  return [...groups.values()].map(group => ({
    provider: group.provider,
    model: group.model,
    prefix: group.prefix,
    modelId: group.modelId,
    schedule: new PriceSchedule(group.periods),
  }));
}
