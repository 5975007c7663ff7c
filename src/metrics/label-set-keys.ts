import { labelSetKey } from './cost-instruments.js';
import type { CostLabels } from './label-policy.js';

/**
 * The key of a label set (`labelSetKey`), built once per distinct set and
 * found again by four look-ups on its label values: no string is built or
 * hashed per call. Label values come from a bounded vocabulary (the label
 * policy's), and the memo holds at most `capacity` sets; past it, keys are
 * built each time.
 */
export class LabelSetKeys {
  private readonly _byProvider = new Map<
    string,
    Map<string, Map<string, Map<string, string>>>
  >();
  private _size = 0;
  private readonly _capacity: number;

  constructor(capacity: number) {
    this._capacity = capacity;
  }

  keyOf(labels: CostLabels): string {
    let byModel = this._byProvider.get(labels.provider);
    let byPlan = byModel?.get(labels.model);
    let byTenant = byPlan?.get(labels.plan);
    const known = byTenant?.get(labels.tenant);
    if (known !== undefined) return known;
    const key = labelSetKey(labels);
    if (this._size >= this._capacity) return key;
    if (byModel === undefined) {
      byModel = new Map();
      this._byProvider.set(labels.provider, byModel);
    }
    if (byPlan === undefined) {
      byPlan = new Map();
      byModel.set(labels.model, byPlan);
    }
    if (byTenant === undefined) {
      byTenant = new Map();
      byPlan.set(labels.plan, byTenant);
    }
    byTenant.set(labels.tenant, key);
    this._size += 1;
    return key;
  }
}
