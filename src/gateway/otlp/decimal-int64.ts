import type { Long as LongType } from 'protobufjs';
import { Long } from './otlp-message-types.js';

const TWO_32 = 2 ** 32;
const TWO_31 = 2 ** 31;

/** The two 32-bit halves (unsigned, two's complement) of a 64-bit integer. */
export interface Int64Halves {
  low: number;
  high: number;
}

/**
 * Reads a decimal integer (`-?[0-9]+`, as OTLP/JSON writes 64-bit
 * integers) into `out` as two's-complement halves; false when it is not
 * one or out of range for int64 (uint64 when `unsigned`). Digit by digit
 * with plain numbers (every intermediate stays below 2^53): nothing is
 * allocated, so checking or encoding a million 19-digit values costs no
 * `BigInt` and no `Long` (`Long.fromString` makes several per value).
 */
export function readDecimalInt64(
  text: string,
  unsigned: boolean,
  out: Int64Halves,
): boolean {
  const negative = text.charCodeAt(0) === 0x2d;
  let index = negative ? 1 : 0;
  if (index >= text.length) return false;
  // Up to 15 digits fit a double exactly: no halves needed yet.
  let value = 0;
  const exactEnd = Math.min(text.length, index + 15);
  for (; index < exactEnd; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return false;
    value = value * 10 + digit;
  }
  let high = Math.floor(value / TWO_32);
  let low = value - high * TWO_32;
  for (; index < text.length; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return false;
    const next = low * 10 + digit; // < 2^36
    const carry = Math.floor(next / TWO_32);
    low = next - carry * TWO_32;
    high = high * 10 + carry;
    if (high >= TWO_32) return false; // past 2^64
  }
  if (unsigned) {
    if (negative && (low !== 0 || high !== 0)) return false;
  } else if (!negative) {
    if (high >= TWO_31) return false;
  } else {
    if (high > TWO_31 || (high === TWO_31 && low !== 0)) return false;
    // Two's complement of the magnitude.
    const borrow = low === 0 ? 0 : 1;
    low = (TWO_32 - low) % TWO_32;
    high = (TWO_32 - high - borrow) % TWO_32;
  }
  out.low = low;
  out.high = high;
  return true;
}

const scratch: Int64Halves = { low: 0, high: 0 };

/** `readDecimalInt64` as a protobuf `Long`, or undefined. */
export function int64FromDecimal(
  text: string,
  unsigned: boolean,
): LongType | undefined {
  return readDecimalInt64(text, unsigned, scratch)
    ? Long.fromBits(scratch.low | 0, scratch.high | 0, unsigned)
    : undefined;
}

/** Whether `text` is a decimal integer within int64 (`readDecimalInt64`). */
export function isDecimalInt64(text: string): boolean {
  return readDecimalInt64(text, false, scratch);
}
