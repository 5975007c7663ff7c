import type { ExportTracePartialSuccess } from '../otlp/otlp-types.js';
import type { EnrichResult } from '../pipeline/request-enricher.js';

const MAX_LISTED = 5;

/**
 * `partial_success` for a forwarded request: rejected spans (invalid ids)
 * and, as a warning (OTLP allows a message with 0 rejected), LLM calls that
 * were forwarded without a cost because their model has no price.
 * Undefined for a full success.
 */
export function partialSuccessOf(
  result: EnrichResult,
): ExportTracePartialSuccess | undefined {
  const parts: string[] = [];
  if (result.rejectedSpans > 0) {
    parts.push(
      `${result.rejectedSpans} span(s) rejected: invalid trace_id or span_id ` +
        '(must be 16 and 8 bytes, not all zero)',
    );
  }
  if (result.unpriced.size > 0) {
    let total = 0;
    const listed: string[] = [];
    for (const [key, count] of result.unpriced) {
      total += count;
      if (listed.length < MAX_LISTED) listed.push(`${key} x${count}`);
    }
    const more = result.unpriced.size > MAX_LISTED ? ', ...' : '';
    parts.push(
      `${total} LLM call(s) forwarded without a cost (no price): ${listed.join(', ')}${more}`,
    );
  }
  if (parts.length === 0) return undefined;
  return {
    rejectedSpans: result.rejectedSpans,
    errorMessage: parts.join('; '),
  };
}
