/** A ledger URL or option the ledger cannot use (thrown at construction). */
export class LedgerConfigError extends Error {
  override readonly name = 'LedgerConfigError';
}
