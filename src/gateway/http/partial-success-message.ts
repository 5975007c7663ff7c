import type { ExportTracePartialSuccess } from '../otlp/otlp-types.js';
import type { EnrichResult } from '../pipeline/request-enricher.js';

const MAX_LISTED = 5;

/**
 * `partial_success` for a forwarded request: rejected spans (invalid ids,
 * or ids already used by a different span) and, as a warning (OTLP allows a message with 0 rejected), LLM calls that
 * were forwarded without a cost because their model has no price.
 * Undefined for a full success.
 */
export function partialSuccessOf(
  result: EnrichResult,
): ExportTracePartialSuccess | undefined {
  const parts: string[] = [];
  const invalid =
    result.rejectedSpans - result.duplicateSpans - result.deprecatedSpans;
  if (invalid > 0) {
    parts.push(
      `${invalid} span(s) rejected: invalid trace_id or span_id ` +
        '(must be 16 and 8 bytes, not all zero)',
    );
  }
  if (result.duplicateSpans > 0) {
    parts.push(
      `${result.duplicateSpans} span(s) rejected: trace_id and span_id ` +
        'already used by a different span (a span id must be unique in its ' +
        'trace; the span first received with them was kept, an identical ' +
        'copy is accepted as a redelivery)',
    );
  }
  if (result.deprecatedSpans > 0) {
    parts.push(
      `${result.deprecatedSpans} span(s) rejected: in ResourceSpans field 1000 ` +
        '(deprecated_scope_spans, formerly instrumentation_library_spans) ' +
        'next to scope_spans; send them in scope_spans (field 2)',
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
