import type { CostResult } from './cost-result.js';
import type { PriceInput, Pricer } from './pricer.js';

/**
 * A pricer whose data can be replaced while spans are being priced (the
 * run-time price refresh). Each call reads the current pricer once, so a
 * call is priced by one data set, never half of one and half of another;
 * engines holding this object see the new data on their next call.
 */
export class SwappablePricer implements Pricer {
  private _current: Pricer;

  constructor(initial: Pricer) {
    this._current = initial;
  }

  get current(): Pricer {
    return this._current;
  }

  /** Prices with `next` from the next call on. */
  swap(next: Pricer): void {
    this._current = next;
  }

  price(input: PriceInput): CostResult {
    return this._current.price(input);
  }
}
