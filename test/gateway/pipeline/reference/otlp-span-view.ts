/**
 * Reference copy (test only) of src/gateway/pipeline or src/gateway/span as of
 * 4fbaa2d, before the third performance pass: the enricher's property test
 * (enricher-reference-parity.test.ts) compares the current one with it.
 */
import type {
  SpanAttributes,
  SpanLike,
} from '../../../../src/core/span-like.js';
import { longToNumber } from '../../../../src/gateway/otlp/otlp-message-types.js';
import type { OtlpSpan } from '../../../../src/gateway/otlp/otlp-types.js';

/**
 * Adapts a decoded OTLP span to the core's `SpanLike`. Ids are lowercase
 * hex (the SDK's form), given by the caller (who already checked them); a
 * missing parent id reads as undefined.
 */
export class OtlpSpanView implements SpanLike {
  readonly name: string;
  readonly scopeName: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: SpanAttributes;
  protected readonly _span: OtlpSpan;

  constructor(
    span: OtlpSpan,
    scopeName: string,
    traceId: string,
    spanId: string,
    attributes: SpanAttributes,
  ) {
    this._span = span;
    this.name = span.name;
    this.scopeName = scopeName;
    this.traceId = traceId;
    this.spanId = spanId;
    const parent = span.parentSpanId;
    this.parentSpanId =
      parent === undefined || parent.length === 0 ? undefined : toHex(parent);
    this.attributes = attributes;
  }

  get startTimeMillis(): number {
    return longToNumber(this._span.startTimeUnixNano) / 1e6;
  }
}

/** Lowercase hex of bytes, without copying them. */
export function toHex(bytes: Uint8Array): string {
  // protobufjs decodes bytes as Buffers in Node; JSON ids are Buffers too.
  if (Buffer.isBuffer(bytes)) return bytes.toString('hex');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    'hex',
  );
}
