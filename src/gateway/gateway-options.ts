import { processEnv, type Env } from '../config/env.js';
import { LABEL_POLICY_SETTINGS } from '../config/label-policy-settings.js';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import {
  priceDataConfig,
  type PriceDataConfig,
} from '../config/price-data-settings.js';
import {
  resolveSettings,
  type InvalidPolicy,
} from '../config/resolve-settings.js';
import type { CostSink } from '../core/cost-record.js';
import {
  InvalidPriceOverrideError,
  PriceOverrides,
  type PriceOverride,
} from '../core/price/price-override.js';
import {
  resolveIdentityOptions,
  type IdentityOptions,
  type ResolvedIdentityOptions,
} from '../processor/identity-options.js';
import { GatewayConfigError } from './gateway-config-error.js';
import type { HostPort } from './gateway-option-checks.js';
import type { PriceDataSettingValues } from '../config/price-data-settings.js';
import {
  GATEWAY_SETTINGS,
  type GatewaySettingValues,
} from './gateway-settings.js';

/** Options of `startGateway`; each falls back to its environment variable, then its default. */
export interface GatewayOptions
  extends Partial<GatewaySettingValues>, IdentityOptions {
  /** Price overrides in code, merged before those of `priceOverridesFile`. */
  readonly overrides?: readonly PriceOverride[];
  /**
   * @deprecated Use `priceOverridesFile`; still read, with a one-time
   * warning.
   */
  readonly prices?: string;
  /** More outputs fed with every call counted (besides `--metrics`). */
  readonly sinks?: readonly CostSink[];
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

export interface ResolvedGatewayOptions extends Omit<
  GatewaySettingValues,
  | 'metrics'
  | 'listenGrpc'
  | 'priceOverridesFile'
  | 'authToken'
  | 'forwardHeaders'
  | 'ledger'
  | 'budgets'
  | keyof PriceDataSettingValues
> {
  /** The cost ledger's URL (`--ledger`); undefined: none. */
  readonly ledger: string | undefined;
  /** The budgets file (`--budgets`); undefined: none. */
  readonly budgets: string | undefined;
  /** The run-time price data refresh; undefined: off. */
  readonly priceData: PriceDataConfig | undefined;
  readonly metrics: HostPort | undefined;
  /** The OTLP/gRPC receiver's address (`--listen-grpc`); undefined: none. */
  readonly listenGrpc: HostPort | undefined;
  readonly authToken: string | undefined;
  readonly forwardHeaders: Readonly<Record<string, string>>;
  readonly overrides: readonly PriceOverride[];
  readonly identity: ResolvedIdentityOptions;
  readonly sinks: readonly CostSink[];
  readonly env: Env;
}

/** The gateway stops at start on any value it cannot use. */
const FAIL: InvalidPolicy = {
  kind: 'fail',
  error: message => new GatewayConfigError(message),
};

/**
 * Resolves every setting once: option, else its environment variable
 * (`OTEL_GENAI_COST_GATEWAY_*` or a shared `OTEL_GENAI_COST_*`), else the
 * default from the settings table. A bad value, given however (the
 * identity and `OTEL_GENAI_COST_METRICS_*` variables included), or a
 * missing `forward` throws `GatewayConfigError` naming the setting: a
 * gateway must not start half-configured.
 */
export function resolveGatewayOptions(
  options: GatewayOptions,
): ResolvedGatewayOptions {
  const env = options.env ?? processEnv();
  const resolved = resolveSettings(GATEWAY_SETTINGS, {
    options,
    env,
    onInvalid: FAIL,
    shell: 'gateway',
  }) as Partial<GatewaySettingValues>;
  if (resolved.forward === undefined) {
    throw new GatewayConfigError(
      'missing the next hop: set --forward <url> or OTEL_GENAI_COST_GATEWAY_FORWARD (e.g. http://collector:4320/v1/traces)',
    );
  }
  const settings = resolved as GatewaySettingValues;
  if (settings.maxQueueBytes < settings.maxDecompressedBytes) {
    throw new GatewayConfigError(
      `--max-queue-bytes (${settings.maxQueueBytes}) must be at least --max-decompressed-bytes (${settings.maxDecompressedBytes})`,
    );
  }
  checkAddresses(
    settings.listen,
    settings.forward,
    resolved.metrics,
    resolved.listenGrpc,
  );
  // Read again by CostMetrics behind --metrics: checked here, at start.
  resolveSettings(LABEL_POLICY_SETTINGS, { options: {}, env, onInvalid: FAIL });
  return {
    ...settings,
    metrics: resolved.metrics,
    listenGrpc: resolved.listenGrpc,
    authToken: resolved.authToken,
    ledger: resolved.ledger,
    budgets: resolved.budgets,
    forwardHeaders: resolved.forwardHeaders ?? {},
    overrides: checkedOverrides(options.overrides, resolved.priceOverridesFile),
    priceData: priceDataConfig(resolved),
    identity: resolveIdentityOptions(options, env, FAIL, 'gateway'),
    sinks: options.sinks ?? [],
    env,
  };
}

/** Runs `check`; a bad price override becomes a `GatewayConfigError` naming `name`. */
function priceCheck<T>(name: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InvalidPriceOverrideError)) throw error;
    throw new GatewayConfigError(`${name}: ${error.message}`);
  }
}

/**
 * The overrides of code and file, checked here as the pricer checks them:
 * a bad entry stops the gateway before anything listens.
 */
function checkedOverrides(
  code: readonly PriceOverride[] | undefined,
  file: string | undefined,
): readonly PriceOverride[] {
  const FILE = 'priceOverridesFile (--price-overrides-file)';
  priceCheck('overrides', () => new PriceOverrides(code ?? []));
  const fromFile =
    file === undefined ? [] : priceCheck(FILE, () => loadPriceOverrides(file));
  const all = [...(code ?? []), ...fromFile];
  // Entries fine alone may clash (same model and date in code and file).
  priceCheck(`overrides with ${FILE}`, () => new PriceOverrides(all));
  return all;
}

/** Hosts that reach a socket listening on the key (same machine). */
const REACHES: Readonly<Record<string, readonly string[]>> = {
  '0.0.0.0': ['0.0.0.0', '127.0.0.1', 'localhost'],
  '::': ['::', '0.0.0.0', '127.0.0.1', '::1', 'localhost'],
  '127.0.0.1': ['127.0.0.1', 'localhost'],
  '::1': ['::1', 'localhost'],
};

/** True when `host:port` reaches the socket listening on `listen`. */
function reaches(listen: HostPort, host: string, port: number): boolean {
  if (listen.port === 0 || listen.port !== port) return false;
  const target = host.replace(/^\[|\]$/g, '').toLowerCase();
  const local = listen.host.toLowerCase();
  return target === local || (REACHES[local]?.includes(target) ?? false);
}

/**
 * The next hop must not be the gateway itself (every request would be
 * forwarded to itself until the queue fills), and `--metrics` and
 * `--listen-grpc` need ports of their own.
 */
function checkAddresses(
  listen: HostPort,
  forward: URL,
  metrics: HostPort | undefined,
  listenGrpc: HostPort | undefined,
): void {
  const forwardPort = Number(
    forward.port || (forward.protocol === 'https:' ? 443 : 80),
  );
  if (reaches(listen, forward.hostname, forwardPort)) {
    throw new GatewayConfigError(
      `--forward ${forward.href} is the gateway's own --listen address (${listen.host}:${listen.port}): it would forward to itself`,
    );
  }
  if (metrics !== undefined && reaches(listen, metrics.host, metrics.port)) {
    throw new GatewayConfigError(
      `--metrics ${metrics.host}:${metrics.port} and --listen ${listen.host}:${listen.port} need different ports`,
    );
  }
  if (listenGrpc === undefined) return;
  if (reaches(listenGrpc, forward.hostname, forwardPort)) {
    throw new GatewayConfigError(
      `--forward ${forward.href} is the gateway's own --listen-grpc address (${listenGrpc.host}:${listenGrpc.port})`,
    );
  }
  for (const [flag, other] of [
    ['--listen', listen],
    ['--metrics', metrics],
  ] as const) {
    if (
      other !== undefined &&
      (reaches(listenGrpc, other.host, other.port) ||
        reaches(other, listenGrpc.host, listenGrpc.port))
    ) {
      throw new GatewayConfigError(
        `--listen-grpc ${listenGrpc.host}:${listenGrpc.port} and ${flag} ${other.host}:${other.port} need different ports`,
      );
    }
  }
}
