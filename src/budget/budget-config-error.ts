/** A budget or a guard option that cannot work; the message names it. */
export class BudgetConfigError extends Error {
  override name = 'BudgetConfigError';
}
