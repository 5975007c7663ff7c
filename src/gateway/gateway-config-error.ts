/**
 * A gateway setting that cannot work: thrown while options resolve, before
 * anything listens, with the setting (flag, variable or option) named.
 */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}
