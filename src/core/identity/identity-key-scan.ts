import type { SpanAttributes } from '../span-like.js';

/**
 * One pass over a span's attribute keys for identity, shared by the reads
 * of one evaluation: the engine reads the span's identity
 * (`readSpanIdentity`), then the span update scrubs its identity
 * attributes (`scrubIdentityAttributes`), and each pass enumerates every
 * key. On an SDK span with more than about 16 attributes (AI SDK,
 * OpenInference spans) the object is in V8's dictionary mode, where one
 * enumeration costs about 15 ns per key (~0.4-0.5 µs), so the second one
 * is worth sparing.
 *
 * A shell opens a scan for one attribute object around a synchronous
 * evaluation in which that object does not change, and closes it after
 * (in a `finally`). While it is open, the identity keys found by the first
 * pass over that object are reused by the next ones; for any other object,
 * or once closed, every pass enumerates the keys itself. Nothing is kept
 * past `closeIdentityKeyScan`, so no attribute object outlives its span
 * here.
 */
let openAttributes: SpanAttributes | undefined;
let openKeys: readonly string[] | undefined;
let openKeyCount: number | undefined;

/**
 * Opens the scan of `attributes` (closing any other). `keyCount`, when the
 * shell knows it (an SDK span's attribute count), tells the first pass how
 * to list the keys (see `identityKeysOf`); any count gives the same keys.
 */
export function openIdentityKeyScan(
  attributes: SpanAttributes,
  keyCount?: number,
): void {
  openAttributes = attributes;
  openKeys = undefined;
  openKeyCount = keyCount;
}

/** Closes the open scan: every pass enumerates the keys again. */
export function closeIdentityKeyScan(): void {
  openAttributes = undefined;
  openKeys = undefined;
  openKeyCount = undefined;
}

/** The key count the open scan of `attributes` was given, if any. */
export function scannedKeyCount(
  attributes: SpanAttributes,
): number | undefined {
  return attributes === openAttributes ? openKeyCount : undefined;
}

/** The identity keys already found on `attributes` in the open scan. */
export function scannedIdentityKeys(
  attributes: SpanAttributes,
): readonly string[] | undefined {
  return attributes === openAttributes ? openKeys : undefined;
}

/** Keeps the identity keys found on `attributes`, if its scan is open. */
export function rememberIdentityKeys(
  attributes: SpanAttributes,
  keys: readonly string[],
): void {
  if (attributes === openAttributes) openKeys = keys;
}
