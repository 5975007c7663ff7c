import { constants as bufferConstants } from 'node:buffer';
import { isIP } from 'node:net';
import {
  isDurationSeconds,
  isIntegerIn,
  MAX_DURATION_SECONDS,
} from '../config/setting-values.js';
import { GatewayConfigError } from './gateway-config-error.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Checks of gateway setting values, whichever way they came (flag,
 * environment, `startGateway` option): each returns the value when a
 * gateway can run with it, else throws `GatewayConfigError` saying what
 * was expected. A value that passes cannot fail at run time.
 */

/**
 * The largest byte size a setting accepts: 4 GiB, the largest Buffer on
 * Node 20 (a body is one Buffer). Node 22+ allows far more (2^53 - 1), but
 * the limit must not depend on the Node version the gateway runs on.
 */
export const MAX_BYTE_SIZE = Math.min(bufferConstants.MAX_LENGTH, 2 ** 32);

/** An integer in [min, max]. */
export function checkInteger(
  value: unknown,
  min: number,
  max: number,
  what = 'an integer',
): number {
  if (!isIntegerIn(value, min, max)) {
    throw new GatewayConfigError(
      `expected ${what} from ${min} to ${max}, got ${describe(value)}`,
    );
  }
  return value;
}

/** A positive integer. */
export function checkPositiveInt(value: unknown): number {
  if (!isIntegerIn(value, 1, Number.MAX_SAFE_INTEGER)) {
    throw new GatewayConfigError(
      `expected a positive integer, got ${describe(value)}`,
    );
  }
  return value;
}

/** Whole seconds that fit Node's timers (1 to 2147483, about 24.8 days). */
export function checkSeconds(value: unknown): number {
  if (!isDurationSeconds(value, true)) {
    throw new GatewayConfigError(
      `expected whole seconds from 1 to ${MAX_DURATION_SECONDS}, got ${describe(value)}`,
    );
  }
  return value;
}

/** A byte count that one Buffer can hold (1 byte to 4 GiB on 64-bit). */
export function checkByteSize(value: unknown): number {
  return checkInteger(value, 1, MAX_BYTE_SIZE, 'a byte size');
}

/** An IP address or a DNS host name, and a port from 0 (any free one) to 65535. */
export function checkHostPort(value: unknown): HostPort {
  const { host, port } = (value ?? {}) as Partial<HostPort>;
  if (typeof host !== 'string' || !isHostName(host)) {
    throw new GatewayConfigError(
      `expected an IP address or a host name, got ${describe(host)}`,
    );
  }
  checkInteger(port, 0, 65535, 'a port');
  return { host, port: port as number };
}

/** An http(s) URL with a host. */
export function checkHttpUrl(value: unknown): URL {
  const url =
    value instanceof URL
      ? value
      : typeof value === 'string'
        ? tryUrl(value)
        : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === ''
  ) {
    const text = value instanceof URL ? value.href : value;
    throw new GatewayConfigError(
      `expected an http(s) URL, got ${describe(typeof text === 'string' ? withoutCredentials(text) : text)}`,
    );
  }
  return url;
}

/** A URL's `user:password@` part hidden: it may hold a secret. */
function withoutCredentials(text: string): string {
  return text.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, '$1***@');
}

/** One of `choices`. */
export function checkChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
): T {
  if (
    typeof value === 'string' &&
    (choices as readonly string[]).includes(value)
  ) {
    return value as T;
  }
  throw new GatewayConfigError(
    `expected ${choices.join(' or ')}, got ${describe(value)}`,
  );
}

/** A non-empty string (trimmed). */
export function checkNonEmpty(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GatewayConfigError('expected a non-empty value');
  }
  return value.trim();
}

function isHostName(host: string): boolean {
  if (isIP(host) !== 0) return true;
  return (
    host.length <= 253 &&
    /^(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$/i.test(
      host,
    )
  );
}

function tryUrl(raw: string): URL | undefined {
  try {
    return new URL(raw.trim());
  } catch {
    return undefined;
  }
}

/** A value for an error message: strings quoted and cut, others as JSON. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > 80 ? `${value.slice(0, 80)}...` : value,
    );
  }
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
