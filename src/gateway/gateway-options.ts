import { envString, processEnv, type Env } from '../config/env.js';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import type { CostSink } from '../core/cost-record.js';
import type { PriceOverride } from '../core/price/price-override.js';
import {
  resolveIdentityOptions,
  type IdentityOptions,
  type ResolvedIdentityOptions,
} from '../processor/identity-options.js';
import { GatewayConfigError, type HostPort } from './gateway-option-parsers.js';
import {
  GATEWAY_SETTINGS,
  type GatewaySettingValues,
} from './gateway-settings.js';

/** Options of `startGateway`; each falls back to its environment variable, then its default. */
export interface GatewayOptions
  extends Partial<GatewaySettingValues>, IdentityOptions {
  /** Price overrides in code, merged before those of the `prices` file. */
  readonly overrides?: readonly PriceOverride[];
  /** More outputs fed with every call counted (besides `--metrics`). */
  readonly sinks?: readonly CostSink[];
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

export interface ResolvedGatewayOptions extends Omit<
  GatewaySettingValues,
  'metrics' | 'prices' | 'authToken' | 'forwardHeaders'
> {
  readonly metrics: HostPort | undefined;
  readonly authToken: string | undefined;
  readonly forwardHeaders: Readonly<Record<string, string>>;
  readonly overrides: readonly PriceOverride[];
  readonly identity: ResolvedIdentityOptions;
  readonly sinks: readonly CostSink[];
  readonly env: Env;
}

/**
 * Resolves every setting once: option, else `OTEL_GENAI_COST_GATEWAY_*`,
 * else the default from `GATEWAY_SETTINGS`. A bad environment value or a
 * missing `forward` throws `GatewayConfigError` naming the variable: a
 * gateway must not start half-configured.
 */
export function resolveGatewayOptions(
  options: GatewayOptions,
): ResolvedGatewayOptions {
  const env = options.env ?? processEnv();
  const values: Partial<Record<keyof GatewaySettingValues, unknown>> = {};
  for (const setting of GATEWAY_SETTINGS) {
    let value: unknown = options[setting.key];
    const raw = envString(env, setting.env);
    if (value === undefined && raw !== undefined) {
      try {
        value = setting.parse(raw);
      } catch (error) {
        throw new GatewayConfigError(
          `${setting.env}: ${(error as Error).message}`,
        );
      }
    }
    if (value === undefined && setting.defaultText !== undefined) {
      value = setting.parse(setting.defaultText);
    }
    values[setting.key] = value;
  }
  const resolved = values as Partial<GatewaySettingValues>;
  if (resolved.forward === undefined) {
    throw new GatewayConfigError(
      'missing the next hop: set --forward <url> or OTEL_GENAI_COST_GATEWAY_FORWARD (e.g. http://collector:4320/v1/traces)',
    );
  }
  const prices =
    resolved.prices ?? envString(env, 'OTEL_GENAI_COST_PRICES_FILE');
  const settings = resolved as GatewaySettingValues;
  if (settings.maxQueueBytes < settings.maxDecompressedBytes) {
    throw new GatewayConfigError(
      `--max-queue-bytes (${settings.maxQueueBytes}) must be at least --max-decompressed-bytes (${settings.maxDecompressedBytes})`,
    );
  }
  return {
    ...settings,
    metrics: resolved.metrics,
    authToken: resolved.authToken,
    forwardHeaders: resolved.forwardHeaders ?? {},
    overrides: [
      ...(options.overrides ?? []),
      ...(prices === undefined ? [] : loadPriceOverrides(prices)),
    ],
    identity: resolveIdentityOptions(options, env),
    sinks: options.sinks ?? [],
    env,
  };
}
