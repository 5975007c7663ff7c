import { readFileSync } from 'node:fs';
import { ExportError } from './export-error.js';

/**
 * How a ledger tenant or user id becomes the destination's customer id
 * (Stripe customer `cus_...`, OpenMeter subject, Lago subscription
 * external id). Either an explicit table (a JSON file) or a prefix added
 * to the ledger id (`''`: the same id). A customer the table lacks is
 * unmapped: reported and skipped, never sent to a guessed account.
 */
export type CustomerMap =
  | { readonly kind: 'table'; readonly ids: ReadonlyMap<string, string> }
  | { readonly kind: 'prefix'; readonly prefix: string };

/** Longest destination customer id accepted. */
const MAX_ID_LENGTH = 255;

/** The destination's id for a ledger id, or undefined when unmapped. */
export function mapCustomer(
  map: CustomerMap,
  ledgerId: string,
): string | undefined {
  return map.kind === 'table'
    ? map.ids.get(ledgerId)
    : `${map.prefix}${ledgerId}`;
}

/**
 * A JSON object `{ "<ledger id>": "<destination id>", ... }`. Refused when
 * it is not such an object, a value is blank or too long, or two ledger
 * ids map to one destination id (two customers billed as one).
 */
export function parseCustomerTable(text: string, file: string): CustomerMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ExportError(`--customers ${file}: not JSON`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ExportError(
      `--customers ${file}: expected an object {"<tenant or user id>": "<destination customer id>"}`,
    );
  }
  const ids = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (
      typeof value !== 'string' ||
      value.trim() === '' ||
      value.length > MAX_ID_LENGTH
    ) {
      throw new ExportError(
        `--customers ${file}: the id for ${JSON.stringify(key)} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
      );
    }
    const other = seen.get(value);
    if (other !== undefined) {
      throw new ExportError(
        `--customers ${file}: ${JSON.stringify(other)} and ${JSON.stringify(key)} map to the same customer ${JSON.stringify(value)}`,
      );
    }
    seen.set(value, key);
    ids.set(key, value);
  }
  return { kind: 'table', ids };
}

/** Reads `--customers <file>`. */
export function loadCustomerTable(file: string): CustomerMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExportError(
      `--customers ${file}: cannot read it (${(error as Error).message})`,
      { cause: error },
    );
  }
  return parseCustomerTable(text, file);
}
