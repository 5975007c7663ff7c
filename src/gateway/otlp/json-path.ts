import { OtlpDecodeError } from './otlp-decode-error.js';

/**
 * Where the JSON reader is, for error messages such as
 * `resourceSpans[0].scopeSpans[1].spans[3].traceId: expected ...`. Segments
 * are pushed and popped as the reader walks; the string is built only when
 * something fails.
 */
export class JsonPath {
  private readonly _segments: (string | number)[] = [];

  enter(segment: string | number): void {
    this._segments.push(segment);
  }

  leave(): void {
    this._segments.pop();
  }

  fail(message: string): never {
    throw new OtlpDecodeError(`${this.toString()}: ${message}`);
  }

  toString(): string {
    let text = '';
    for (const segment of this._segments) {
      if (typeof segment === 'number') text += `[${segment}]`;
      else text += text === '' ? segment : `.${segment}`;
    }
    return text === '' ? '(request)' : text;
  }
}

/** A short description of a JSON value's type, for messages. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
