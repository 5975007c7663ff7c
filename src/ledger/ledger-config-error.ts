/** A ledger URL or option the ledger cannot use (thrown at construction). */
export class LedgerConfigError extends Error {
  /** Always `LedgerConfigError`. */
  override readonly name = 'LedgerConfigError';
}
