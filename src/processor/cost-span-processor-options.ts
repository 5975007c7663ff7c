import type { CostSink } from '../core/cost-record.js';
import type { EmittersOption } from '../core/select/emitters.js';
import type { PriceOverride } from '../core/price/price-override.js';
import { loadPriceOverrides } from '../config/load-price-overrides.js';
import {
  priceDataConfig,
  type PriceDataConfig,
} from '../config/price-data-settings.js';
import {
  CostMetrics,
  type CostMetricsOptions,
} from '../metrics/cost-metrics.js';
import { processEnv, type Env } from '../config/env.js';
import { CostLedger } from '../ledger/cost-ledger.js';
import {
  PROCESSOR_SETTINGS,
  type ProcessorSettingValues,
} from '../config/processor-settings.js';
import {
  resolveSettings,
  WARN_AND_DEFAULT,
  type InvalidPolicy,
} from '../config/resolve-settings.js';
import {
  resolveIdentityOptions,
  type IdentityOptions,
  type ResolvedIdentityOptions,
} from './identity-options.js';

export interface CostSpanProcessorOptions extends IdentityOptions {
  /**
   * Your own prices (USD per million tokens); they win over the bundled
   * table. Merged with `priceOverridesFile`, code entries first.
   */
  readonly overrides?: readonly PriceOverride[];
  /**
   * A JSON or YAML file of price overrides.
   * @defaultValue env `OTEL_GENAI_COST_PRICE_OVERRIDES_FILE` (formerly
   * `OTEL_GENAI_COST_PRICES_FILE`, still read with a warning), else none
   */
  readonly priceOverridesFile?: string;
  /**
   * Upper bound on spans held for exactly-once selection.
   * @defaultValue env `OTEL_GENAI_COST_MAX_TRACKED_SPANS`, else 100000
   */
  readonly maxTrackedSpans?: number;
  /**
   * Which layer to trust when two instrumentations record the same provider
   * call (LangChain over an OpenAI client instrumentation, OpenInference
   * Anthropic over the Anthropic SDK's own spans): `'auto'` prices each
   * call once from the better-informed span, `'framework'` / `'client'`
   * from that layer's span, `'all'` turns the detection off, a list of
   * instrumentation scope names prices only the LLM spans of those scopes.
   * @defaultValue env `OTEL_GENAI_COST_EMITTERS`, else 'auto'
   */
  readonly emitters?: EmittersOption | undefined;
  /**
   * Outputs fed with every evaluated call (`{ call, cost, identity }`), e.g.
   * cost metrics. Each is isolated: one that throws is logged and skipped.
   * @defaultValue []
   */
  readonly sinks?: readonly CostSink[] | undefined;
  /**
   * Cost counters through the OpenTelemetry metrics API (see "Metrics"):
   * `true` records on the global MeterProvider with the default label
   * policy, an object configures `CostMetrics`, `false` turns them off. Not
   * added when `sinks` already holds a `CostMetrics`.
   * @defaultValue env `OTEL_GENAI_COST_METRICS` (true/false), else true
   */
  readonly metrics?: boolean | CostMetricsOptions;
  /**
   * A genai-prices `data.json` (http(s) URL or file path) to price from
   * instead of the bundled table: read at start (after the cache) and every
   * `priceDataRefreshSeconds`, in the background; the bundled corrections
   * and your overrides still win over it. A source that fails keeps the
   * data in use (one warning per kind of failure). Off when unset: no
   * network unless asked.
   * @defaultValue env `OTEL_GENAI_COST_PRICE_DATA_URL`, else none (off)
   */
  readonly priceDataUrl?: string | undefined;
  /**
   * How often `priceDataUrl` is read again, at least 60.
   * @defaultValue env `OTEL_GENAI_COST_PRICE_DATA_REFRESH_SECONDS`, else 3600
   */
  readonly priceDataRefreshSeconds?: number | undefined;
  /**
   * Time one read of `priceDataUrl` may take (1 to 600).
   * @defaultValue env `OTEL_GENAI_COST_PRICE_DATA_TIMEOUT_SECONDS`, else 15
   */
  readonly priceDataTimeoutSeconds?: number | undefined;
  /**
   * Where the last good price data is kept (written whole: temp file, then
   * rename) and read at start; `"none"`: no cache.
   * @defaultValue env `OTEL_GENAI_COST_PRICE_DATA_CACHE_FILE`, else for a
   * URL `<os.tmpdir()>/otel-genai-cost-<uid>/price-data-<hash of the URL>.json`,
   * for a file none
   */
  readonly priceDataCacheFile?: string | undefined;
  /**
   * Keep one row per evaluated call in a cost ledger (`CostLedger`, added
   * to the sinks): `sqlite:<path>` (needs the `libsql` package) or
   * `postgres://user:password@host:port/database` (needs `pg`). Rows are
   * keyed by trace and span id, so a span seen again counts once; the
   * `service` column is `OTEL_SERVICE_NAME`. Another scheme is refused
   * with a warning naming what is supported.
   * @defaultValue env `OTEL_GENAI_COST_LEDGER`, else none (off)
   */
  readonly ledger?: string | undefined;
  /**
   * The ledger's retention (`CostLedgerOptions.retainDays`): today (UTC)
   * and this many days before it are kept; older rows are removed at open
   * and then daily. @defaultValue env `OTEL_GENAI_COST_LEDGER_RETAIN_DAYS`, else kept forever
   */
  readonly ledgerRetainDays?: number | undefined;
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

/** Options of the exporter wrapper only (`CostEnrichingSpanExporter`). */
export interface IdentityWindowOptions {
  /**
   * How long a finished span is remembered as a possible ancestor of spans
   * exported later: at least this long, up to twice.
   * @defaultValue env `OTEL_GENAI_COST_IDENTITY_WINDOW_SECONDS`, else 300
   */
  readonly identityWindowSeconds?: number | undefined;
  /**
   * @deprecated Use `identityWindowSeconds` (this value / 1000); still
   * read, with a one-time warning.
   */
  readonly identityWindowMillis?: number | undefined;
}

/** Every option resolved once: `option ?? env ?? default`. */
export interface ResolvedCostSpanProcessorOptions {
  readonly overrides: readonly PriceOverride[];
  /** The run-time price data refresh; undefined: off. */
  readonly priceData: PriceDataConfig | undefined;
  readonly maxTrackedSpans: number;
  readonly emitters: EmittersOption;
  readonly sinks: readonly CostSink[];
  readonly identity: ResolvedIdentityOptions;
  /** Exporter wrapper: ancestors are kept at least this long (seconds). */
  readonly identityWindowSeconds: number;
}

/**
 * Resolves the options of the in-process shells from `PROCESSOR_SETTINGS`
 * and `IDENTITY_SETTINGS`. A bad value gets one `diag.warn` naming the
 * option or variable and the default: the application keeps running.
 */
export function resolveCostSpanProcessorOptions(
  options: CostSpanProcessorOptions & IdentityWindowOptions,
  onInvalid: InvalidPolicy = WARN_AND_DEFAULT,
): ResolvedCostSpanProcessorOptions {
  const env = options.env ?? processEnv();
  const values = resolveSettings(PROCESSOR_SETTINGS, {
    options,
    env,
    onInvalid,
  }) as Omit<
    ProcessorSettingValues,
    | 'priceOverridesFile'
    | 'priceDataUrl'
    | 'priceDataCacheFile'
    | 'ledger'
    | 'ledgerRetainDays'
  > &
    Partial<ProcessorSettingValues>;
  const file = values.priceOverridesFile;
  return {
    overrides: [
      ...values.overrides,
      ...(file === undefined ? [] : loadPriceOverrides(file)),
    ],
    priceData: priceDataConfig(values),
    maxTrackedSpans: values.maxTrackedSpans,
    emitters: values.emitters,
    sinks: withLedger(
      withMetrics(
        values.sinks,
        values.metrics as boolean | CostMetricsOptions,
        env,
      ),
      values.ledger,
      values.ledgerRetainDays,
      env,
    ),
    identity: resolveIdentityOptions(options, env, onInvalid),
    identityWindowSeconds: values.identityWindowSeconds,
  };
}

/** The default `CostMetrics` reads the processor's `env` unless given its own. */
function withMetrics(
  sinks: readonly CostSink[],
  metrics: boolean | CostMetricsOptions,
  env: Env,
): readonly CostSink[] {
  if (metrics === false || sinks.some(sink => sink instanceof CostMetrics)) {
    return sinks;
  }
  const options = metrics === true ? {} : metrics;
  return [new CostMetrics({ ...options, env: options.env ?? env }), ...sinks];
}

/** The `ledger` setting's `CostLedger`, after the other sinks. */
function withLedger(
  sinks: readonly CostSink[],
  url: string | undefined,
  retainDays: number | undefined,
  env: Env,
): readonly CostSink[] {
  if (url === undefined) return sinks;
  const service = env['OTEL_SERVICE_NAME']?.trim();
  return [
    ...sinks,
    new CostLedger({ url, service: service || undefined, retainDays }),
  ];
}
