import { validateHeaderName, validateHeaderValue } from 'node:http';
import { GatewayConfigError } from '../gateway-config-error.js';

/**
 * Headers the gateway sets itself on every forwarded request (framing and
 * connection management); a configured one would be overwritten or would
 * break the request, so it is refused at start.
 */
const RESERVED = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'expect',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Checks the headers sent to the next hop with Node's own validation, the
 * one `http.request` applies when it sends them: a header Node would
 * refuse (a CR or LF in a value, a space in a name) is refused when the
 * gateway starts, not on every forwarded request. Names are lower-cased.
 * Messages name the header but never echo its value (it may be a secret).
 */
export function checkForwardHeaders(
  value: unknown,
): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayConfigError(
      'expected an object of header names to values',
    );
  }
  const headers: Record<string, string> = {};
  for (const [rawName, headerValue] of Object.entries(value)) {
    const name = rawName.trim().toLowerCase();
    try {
      validateHeaderName(name);
    } catch {
      throw new GatewayConfigError(
        `header name ${JSON.stringify(rawName)} is not a valid HTTP token`,
      );
    }
    if (RESERVED.has(name)) {
      throw new GatewayConfigError(
        `header ${JSON.stringify(name)} is set by the gateway and cannot be configured`,
      );
    }
    if (typeof headerValue !== 'string') {
      throw new GatewayConfigError(
        `header ${JSON.stringify(name)}: expected a string value`,
      );
    }
    try {
      validateHeaderValue(name, headerValue);
    } catch {
      throw new GatewayConfigError(
        `header ${JSON.stringify(name)}: the value contains a character HTTP does not allow (${invalidCharacterOf(headerValue)})`,
      );
    }
    if (Object.hasOwn(headers, name)) {
      throw new GatewayConfigError(
        `header ${JSON.stringify(name)} is given twice`,
      );
    }
    // HTTP drops spaces and tabs around a value; so does the gateway, at once.
    headers[name] = headerValue.replace(/^[ \t]+|[ \t]+$/g, '');
  }
  return headers;
}

/** The first character Node refuses, as a code point and its position. */
function invalidCharacterOf(value: string): string {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    const allowed =
      code === 0x09 || (code >= 0x20 && code !== 0x7f && code <= 0xff);
    if (!allowed) {
      return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${index}`;
    }
  }
  return 'an invalid character';
}
