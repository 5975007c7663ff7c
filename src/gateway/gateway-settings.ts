import {
  PRICE_DATA_SETTINGS,
  type PriceDataSettingValues,
} from '../config/price-data-settings.js';
import {
  EMITTERS_SETTING,
  type EmittersSettingValues,
} from '../config/emitters-settings.js';
import {
  LEDGER_RETAIN_DAYS_SETTING,
  LEDGER_SETTING,
  type LedgerSettingValues,
} from '../config/ledger-settings.js';
import { PRICE_OVERRIDES_FILE_SETTING } from '../config/processor-settings.js';
import type { Setting } from '../config/setting.js';
import { checkForwardHeaders } from './forward/forward-headers.js';
import {
  checkByteSize,
  checkChoice,
  checkHostPort,
  checkHttpUrl,
  checkInteger,
  checkNonEmpty,
  checkPositiveInt,
  checkSeconds,
} from './gateway-option-checks.js';
import {
  parseByteSize,
  parseCompression,
  parseHeaders,
  parseHostPort,
  parseHttpUrl,
  parseNonEmpty,
  parsePositiveInt,
  parseSeconds,
  type HostPort,
} from './gateway-option-parsers.js';
import { DEFAULT_DECODE_LIMITS } from './otlp/decode-limits.js';
import {
  DEFAULT_MAX_LLM_SPANS,
  MAX_SPANS_PER_TRACE,
} from './pipeline/trace-window.js';

/** Gateway settings that can come from a flag or an environment variable. */
export interface GatewaySettingValues
  extends PriceDataSettingValues, EmittersSettingValues, LedgerSettingValues {
  readonly listen: HostPort;
  readonly budgets: string;
  readonly listenGrpc: HostPort;
  readonly forward: URL;
  readonly forwardHeaders: Readonly<Record<string, string>>;
  readonly forwardCompression: 'gzip' | 'none';
  readonly forwardTimeoutSeconds: number;
  readonly metrics: HostPort;
  readonly priceOverridesFile: string;
  readonly authToken: string;
  readonly maxBodyBytes: number;
  readonly maxDecompressedBytes: number;
  readonly maxQueueRequests: number;
  readonly maxQueueBytes: number;
  readonly traceWindowSeconds: number;
  readonly maxTraces: number;
  readonly maxLlmSpans: number;
  readonly retryAfterSeconds: number;
  readonly shutdownTimeoutSeconds: number;
  readonly bodyTimeoutSeconds: number;
  readonly maxReadingRequests: number;
  readonly maxConnections: number;
  readonly maxSpansPerRequest: number;
  readonly maxItemsPerRequest: number;
  readonly maxValueDepth: number;
}

/** A row of the settings table that the gateway reads. */
export type GatewaySetting<
  K extends keyof GatewaySettingValues = keyof GatewaySettingValues,
> = Setting<GatewaySettingValues, K> & {
  readonly flag: string;
  readonly env: string;
  readonly parse: (raw: string) => GatewaySettingValues[K];
  readonly check: (value: unknown) => GatewaySettingValues[K];
};

const ENV = 'OTEL_GENAI_COST_GATEWAY_';

/** A gateway-only setting: its variable is `OTEL_GENAI_COST_GATEWAY_<FLAG>`. */
function setting<K extends keyof GatewaySettingValues>(
  key: K,
  flag: string,
  valueName: string,
  description: string,
  defaultText: string | undefined,
  parse: (raw: string) => GatewaySettingValues[K],
  check: (value: unknown) => GatewaySettingValues[K],
): GatewaySetting<K> {
  const env = ENV + flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase();
  return {
    key,
    flag,
    valueName,
    type: valueName,
    env,
    description,
    defaultText,
    ...(defaultText === undefined ? {} : { defaultValue: parse(defaultText) }),
    shells: ['gateway'],
    parse,
    check,
  };
}

/** The largest `--max-value-depth`: decoders recurse once per level. */
export const MAX_VALUE_DEPTH = 256;

/**
 * Every gateway setting, its flag, its environment variable and its
 * default: the gateway's part of the settings table, which the CLI's
 * `--help`, the option resolver and docs/configuration.md#gateway-options
 * are built from. Settings shared with the library (the price overrides
 * file) keep their shared variable name.
 */
export const GATEWAY_SETTINGS: readonly GatewaySetting[] = [
  setting(
    'listen',
    '--listen',
    'host:port',
    'address of the OTLP/HTTP receiver (POST /v1/traces, GET /healthz, /readyz)',
    '127.0.0.1:4318',
    parseHostPort,
    checkHostPort,
  ),
  setting(
    'listenGrpc',
    '--listen-grpc',
    'host:port',
    "address of an OTLP/gRPC receiver (TraceService/Export; needs the @grpc/grpc-js package), e.g. 0.0.0.0:4317 for the Collector's loadbalancing exporter; off when unset",
    undefined,
    parseHostPort,
    checkHostPort,
  ),
  {
    // May carry user:password@ (sent as basic auth): never echoed.
    ...setting(
      'forward',
      '--forward',
      'url',
      'OTLP/HTTP traces URL of the next hop, e.g. http://collector:4320/v1/traces (required)',
      undefined,
      parseHttpUrl,
      checkHttpUrl,
    ),
    secret: true,
  },
  {
    ...setting(
      'forwardHeaders',
      '--forward-headers',
      'k=v,...',
      'headers sent to the next hop, e.g. authorization=Bearer%20xyz',
      undefined,
      parseHeaders,
      checkForwardHeaders,
    ),
    secret: true,
  },
  setting(
    'forwardCompression',
    '--forward-compression',
    'gzip|none',
    'compression of forwarded requests',
    'gzip',
    parseCompression,
    (value: unknown) => checkChoice(value, ['gzip', 'none'] as const),
  ),
  setting(
    'forwardTimeoutSeconds',
    '--forward-timeout-seconds',
    'seconds',
    'time the next hop has to answer before the request gets 503',
    '10',
    parseSeconds,
    checkSeconds,
  ),
  setting(
    'metrics',
    '--metrics',
    'host:port',
    'serve Prometheus /metrics (cost counters) on this address',
    undefined,
    parseHostPort,
    checkHostPort,
  ),
  PRICE_OVERRIDES_FILE_SETTING as GatewaySetting<'priceOverridesFile'>,
  EMITTERS_SETTING as GatewaySetting<'emitters'>,
  LEDGER_SETTING as GatewaySetting<'ledger'>,
  LEDGER_RETAIN_DAYS_SETTING as GatewaySetting<'ledgerRetainDays'>,
  setting(
    'budgets',
    '--budgets',
    'file',
    'count spend against budgets per user, tenant and plan (a BudgetGuard fed the calls the next hop accepted): a YAML or JSON file { store, budgets, alertAt, webhook }, see docs/budgets.md; off when unset',
    undefined,
    parseNonEmpty,
    checkNonEmpty,
  ),
  ...(PRICE_DATA_SETTINGS as readonly GatewaySetting[]),
  {
    ...setting(
      'authToken',
      '--auth-token',
      'token',
      'require "Authorization: Bearer <token>" (prefer the environment variable: flags show in ps)',
      undefined,
      parseNonEmpty,
      checkNonEmpty,
    ),
    secret: true,
  },
  setting(
    'maxBodyBytes',
    '--max-body-bytes',
    'bytes',
    'largest request body on the wire (compressed); larger gets 413',
    '16MiB',
    parseByteSize,
    checkByteSize,
  ),
  setting(
    'maxDecompressedBytes',
    '--max-decompressed-bytes',
    'bytes',
    'largest request body after decompression; larger (a gzip bomb) gets 413',
    '64MiB',
    parseByteSize,
    checkByteSize,
  ),
  setting(
    'maxQueueRequests',
    '--max-queue-requests',
    'count',
    'requests whose whole body has arrived, being priced or forwarded at once; more get 503 + Retry-After',
    '64',
    parsePositiveInt,
    checkPositiveInt,
  ),
  setting(
    'maxQueueBytes',
    '--max-queue-bytes',
    'bytes',
    'decompressed bytes held, of bodies still arriving and of queued requests together (the heap needs about twice this, plus one request decoding at a time: see docs/gateway.md#decode-limits); more get 503 + Retry-After',
    '64MiB',
    parseByteSize,
    checkByteSize,
  ),
  setting(
    'traceWindowSeconds',
    '--trace-window-seconds',
    'seconds',
    'how long a trace is remembered after its last span, for exactly-once pricing and counting across requests',
    '300',
    parseSeconds,
    checkSeconds,
  ),
  setting(
    'maxTraces',
    '--max-traces',
    'count',
    'traces remembered at most (about 1.5 KB each, plus their LLM spans); the least recently seen are forgotten first',
    '50000',
    parsePositiveInt,
    checkPositiveInt,
  ),
  setting(
    'maxLlmSpans',
    '--max-llm-spans',
    'count',
    `LLM spans remembered at most across all traces (about 0.3 KB each, 0.8 KB at worst; at least ${MAX_SPANS_PER_TRACE}); the least recently seen traces are forgotten first`,
    String(DEFAULT_MAX_LLM_SPANS),
    raw => checkLlmSpans(parsePositiveInt(raw)),
    checkLlmSpans,
  ),
  setting(
    'retryAfterSeconds',
    '--retry-after-seconds',
    'seconds',
    'Retry-After sent with 503 when the next hop gave none',
    '5',
    parseSeconds,
    checkSeconds,
  ),
  setting(
    'shutdownTimeoutSeconds',
    '--shutdown-timeout-seconds',
    'seconds',
    'on SIGTERM, time to finish requests in progress',
    '30',
    parseSeconds,
    checkSeconds,
  ),
  setting(
    'bodyTimeoutSeconds',
    '--body-timeout-seconds',
    'seconds',
    'time a client has to send a request: its headers, then its whole body; slower ones get 408 and the connection is closed',
    '10',
    parseSeconds,
    checkSeconds,
  ),
  setting(
    'maxReadingRequests',
    '--max-reading-requests',
    'count',
    'requests whose body is being received at once (they hold no queue slot until it is complete); more get 503 + Retry-After',
    '1024',
    parsePositiveInt,
    checkPositiveInt,
  ),
  setting(
    'maxConnections',
    '--max-connections',
    'count',
    'open client connections at most; more are closed at once (keep it below the process file limit, ulimit -n)',
    '4096',
    parsePositiveInt,
    checkPositiveInt,
  ),
  setting(
    'maxSpansPerRequest',
    '--max-spans-per-request',
    'count',
    'spans one request may hold; more get 413',
    String(DEFAULT_DECODE_LIMITS.maxSpansPerRequest),
    parsePositiveInt,
    checkPositiveInt,
  ),
  setting(
    'maxItemsPerRequest',
    '--max-items-per-request',
    'count',
    'messages and repeated entries of one request, all levels together (each resource, scope, span, event, link, status, attribute and attribute value, array or map entry); more get 413',
    String(DEFAULT_DECODE_LIMITS.maxItemsPerRequest),
    parsePositiveInt,
    checkPositiveInt,
  ),
  setting(
    'maxValueDepth',
    '--max-value-depth',
    'count',
    `nesting of array and map attribute values (at most ${MAX_VALUE_DEPTH}); deeper gets 400`,
    String(DEFAULT_DECODE_LIMITS.maxValueDepth),
    raw => checkValueDepth(parsePositiveInt(raw)),
    checkValueDepth,
  ),
];

function checkLlmSpans(value: unknown): number {
  return checkInteger(
    value,
    MAX_SPANS_PER_TRACE,
    Number.MAX_SAFE_INTEGER,
    'a count',
  );
}

function checkValueDepth(value: unknown): number {
  return checkInteger(value, 1, MAX_VALUE_DEPTH, 'a depth');
}
