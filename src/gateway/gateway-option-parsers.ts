/**
 * Parsers for gateway settings given as text (flags, environment). Each
 * throws `GatewayConfigError` with what was expected.
 */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

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
  const port = Number(match?.[3]);
  if (match === null || !(port >= 0 && port <= 65535)) {
    throw new GatewayConfigError(
      `expected host:port (e.g. 127.0.0.1:4318), got "${raw}"`,
    );
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** An http(s) URL. */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new GatewayConfigError(`expected an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayConfigError(`expected an http(s) URL, got "${raw}"`);
  }
  return url;
}

/** A positive integer. */
export function parsePositiveInt(raw: string): number {
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new GatewayConfigError(`expected a positive integer, got "${raw}"`);
  }
  return value;
}

/** A byte size: `1048576`, `16MiB`, `512KiB`, `1GB`. */
export function parseByteSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  const value =
    match === null || unit === undefined
      ? NaN
      : Math.floor(Number(match[1]) * unit);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new GatewayConfigError(
      `expected a byte size such as 16777216 or 16MiB, got "${raw}"`,
    );
  }
  return value;
}

/** `gzip` or `none`. */
export function parseCompression(raw: string): 'gzip' | 'none' {
  const value = raw.trim().toLowerCase();
  if (value === 'gzip' || value === 'none') return value;
  throw new GatewayConfigError(`expected gzip or none, got "${raw}"`);
}

/** `key=value,key2=value2` (values URL-decoded, as OTEL_EXPORTER_OTLP_HEADERS). */
export function parseHeaders(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const index = part.indexOf('=');
    const key = part.slice(0, index).trim().toLowerCase();
    if (index <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) {
      throw new GatewayConfigError(
        `expected key=value pairs separated by commas, got "${part.trim()}"`,
      );
    }
    headers[key] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return headers;
}

/** A non-empty string. */
export function parseNonEmpty(raw: string): string {
  if (raw.trim() === '')
    throw new GatewayConfigError('expected a non-empty value');
  return raw.trim();
}
