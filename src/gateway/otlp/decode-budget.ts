import type { DecodeLimits } from './decode-limits.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { isNestingValue, MessageKind } from './otlp-wire-schema.js';

/**
 * Counts what one request decodes into, as a decoder walks it, against the
 * decode limits: every message (each span, attribute, attribute value,
 * event, link, status, resource, scope, array or key-value list, at every
 * level) and every entry of a repeated string field is an item; spans are
 * also counted on their own; array and key-value list values may nest
 * `maxValueDepth` levels. The same rules for protobuf and OTLP/JSON. Past a
 * count limit: `OtlpDecodeError` 413; nested too deep: 400.
 */
export class DecodeBudget {
  spans = 0;
  items = 0;
  private _depth = 0;
  private readonly _limits: DecodeLimits;

  constructor(limits: DecodeLimits) {
    this._limits = limits;
  }

  /** A message of this kind starts. */
  enter(kind: MessageKind): void {
    this.item();
    if (
      kind === MessageKind.Span &&
      ++this.spans > this._limits.maxSpansPerRequest
    ) {
      throw new OtlpDecodeError(
        `request has more than ${this._limits.maxSpansPerRequest} spans (--max-spans-per-request)`,
        413,
      );
    }
    if (isNestingValue(kind) && ++this._depth > this._limits.maxValueDepth) {
      throw new OtlpDecodeError(
        `an attribute value nests arrays or key-value lists more than ${this._limits.maxValueDepth} levels deep (--max-value-depth)`,
      );
    }
  }

  /** The message of this kind that started last ends. */
  leave(kind: MessageKind): void {
    if (isNestingValue(kind)) this._depth -= 1;
  }

  /** One more item (a repeated entry that is not a message, or JSON the schema does not know). */
  item(): void {
    if (++this.items > this._limits.maxItemsPerRequest) this._tooMany();
  }

  /**
   * `count` more items at once: the items of a message checked whole, with
   * no other limit to reach on the way (the same error as `count` calls of
   * `item`, if any is past the limit).
   */
  addItems(count: number): void {
    this.items += count;
    if (this.items > this._limits.maxItemsPerRequest) this._tooMany();
  }

  private _tooMany(): never {
    throw new OtlpDecodeError(
      `request decodes into more than ${this._limits.maxItemsPerRequest} items (messages and repeated entries: spans, attributes, values, events, links...) (--max-items-per-request)`,
      413,
    );
  }
}
