/** Thrown at configuration time only, never on the span path. */
export class InvalidPriceOverrideError extends Error {
  override name = 'InvalidPriceOverrideError';
}
