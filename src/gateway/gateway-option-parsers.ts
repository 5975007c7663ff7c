import { checkForwardHeaders } from './forward/forward-headers.js';
import { GatewayConfigError } from './gateway-config-error.js';
import {
  checkByteSize,
  checkChoice,
  checkHostPort,
  checkHttpUrl,
  checkNonEmpty,
  checkPositiveInt,
  checkSeconds,
  describe,
  type HostPort,
} from './gateway-option-checks.js';

/**
 * Parsers for gateway settings given as text (flags, environment): each
 * reads the text and hands the value to the same check a `startGateway`
 * option goes through, so both ways are held to one rule. Each throws
 * `GatewayConfigError` with what was expected.
 */
export { GatewayConfigError, type HostPort };

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kib: 1024,
  kb: 1000,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
};

/** `host:port`, `[::1]:port` or `:port` (all interfaces of `0.0.0.0`). */
export function parseHostPort(raw: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(raw.trim());
  if (match === null) {
    throw new GatewayConfigError(
      `expected host:port (e.g. 127.0.0.1:4318), got ${describe(raw)}`,
    );
  }
  const host = match[1] ?? match[2] ?? '';
  return checkHostPort({
    host: host === '' ? '0.0.0.0' : host,
    port: Number(match[3]),
  });
}

/** An http(s) URL. */
export function parseHttpUrl(raw: string): URL {
  return checkHttpUrl(raw);
}

/** A positive integer (decimal digits). */
export function parsePositiveInt(raw: string): number {
  return checkPositiveInt(decimal(raw));
}

/** Whole seconds within Node's timer range. */
export function parseSeconds(raw: string): number {
  return checkSeconds(decimal(raw));
}

/** A byte size: `1048576`, `16MiB`, `512KiB`, `1GB`. */
export function parseByteSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (match === null || unit === undefined) {
    throw new GatewayConfigError(
      `expected a byte size such as 16777216 or 16MiB, got ${describe(raw)}`,
    );
  }
  return checkByteSize(Math.floor(Number(match[1]) * unit));
}

/** `gzip` or `none`. */
export function parseCompression(raw: string): 'gzip' | 'none' {
  return checkChoice(raw.trim().toLowerCase(), ['gzip', 'none']);
}

/**
 * `key=value,key2=value2`, values URL-decoded (as OTEL_EXPORTER_OTLP_HEADERS),
 * then checked as Node checks headers it sends. Messages never echo a value.
 */
export function parseHeaders(raw: string): Record<string, string> {
  const entries: [string, string][] = [];
  const parts = raw.split(',');
  parts.forEach((part, index) => {
    if (part.trim() === '') return;
    const equals = part.indexOf('=');
    if (equals <= 0) {
      throw new GatewayConfigError(
        `expected key=value pairs separated by commas; pair ${index + 1} has no key=`,
      );
    }
    const key = part.slice(0, equals).trim();
    let value: string;
    try {
      value = decodeURIComponent(part.slice(equals + 1).trim());
    } catch {
      throw new GatewayConfigError(
        `header ${JSON.stringify(key)}: the value is not valid URL encoding (a % not followed by two hex digits, or not UTF-8)`,
      );
    }
    const duplicate = entries.some(
      ([name]) => name.toLowerCase() === key.toLowerCase(),
    );
    if (duplicate) {
      throw new GatewayConfigError(
        `header ${JSON.stringify(key.toLowerCase())} is given twice`,
      );
    }
    entries.push([key, value]);
  });
  return { ...checkForwardHeaders(Object.fromEntries(entries)) };
}

/** A non-empty string. */
export function parseNonEmpty(raw: string): string {
  return checkNonEmpty(raw);
}

/** Decimal digits only (no `0x10`, `1e3`, `12.0`), else NaN for the check to refuse. */
function decimal(raw: string): number | string {
  const text = raw.trim();
  return /^\d+$/.test(text) ? Number(text) : text;
}
