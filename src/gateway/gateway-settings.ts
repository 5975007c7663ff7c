import {
  parseByteSize,
  parseCompression,
  parseHeaders,
  parseHostPort,
  parseHttpUrl,
  parseNonEmpty,
  parsePositiveInt,
  type HostPort,
} from './gateway-option-parsers.js';

/** Gateway settings that can come from a flag or an environment variable. */
export interface GatewaySettingValues {
  readonly listen: HostPort;
  readonly forward: URL;
  readonly forwardHeaders: Readonly<Record<string, string>>;
  readonly forwardCompression: 'gzip' | 'none';
  readonly forwardTimeoutSeconds: number;
  readonly metrics: HostPort;
  readonly prices: string;
  readonly authToken: string;
  readonly maxBodyBytes: number;
  readonly maxDecompressedBytes: number;
  readonly maxQueueRequests: number;
  readonly maxQueueBytes: number;
  readonly traceWindowSeconds: number;
  readonly maxTraces: number;
  readonly retryAfterSeconds: number;
  readonly shutdownTimeoutSeconds: number;
}

export interface GatewaySetting<
  K extends keyof GatewaySettingValues = keyof GatewaySettingValues,
> {
  readonly key: K;
  /** `--listen`; the CLI adds `<value>`. */
  readonly flag: string;
  readonly valueName: string;
  readonly env: string;
  readonly description: string;
  /** Shown in help; undefined when the setting is off by default. */
  readonly defaultText: string | undefined;
  readonly parse: (raw: string) => GatewaySettingValues[K];
}

const ENV = 'OTEL_GENAI_COST_GATEWAY_';

function setting<K extends keyof GatewaySettingValues>(
  key: K,
  flag: string,
  valueName: string,
  description: string,
  defaultText: string | undefined,
  parse: (raw: string) => GatewaySettingValues[K],
): GatewaySetting<K> {
  const env = ENV + flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase();
  return { key, flag, valueName, env, description, defaultText, parse };
}

/**
 * Every gateway setting, its flag, its environment variable and its
 * default: the one table the CLI's `--help` and the option resolver are
 * built from (docs/configuration.md#gateway-options documents it).
 */
export const GATEWAY_SETTINGS: readonly GatewaySetting[] = [
  setting(
    'listen',
    '--listen',
    'host:port',
    'address of the OTLP/HTTP receiver (POST /v1/traces, GET /healthz, /readyz)',
    '127.0.0.1:4318',
    parseHostPort,
  ),
  setting(
    'forward',
    '--forward',
    'url',
    'OTLP/HTTP traces URL of the next hop, e.g. http://collector:4320/v1/traces (required)',
    undefined,
    parseHttpUrl,
  ),
  setting(
    'forwardHeaders',
    '--forward-headers',
    'k=v,...',
    'headers sent to the next hop, e.g. authorization=Bearer%20xyz',
    undefined,
    parseHeaders,
  ),
  setting(
    'forwardCompression',
    '--forward-compression',
    'gzip|none',
    'compression of forwarded requests',
    'gzip',
    parseCompression,
  ),
  setting(
    'forwardTimeoutSeconds',
    '--forward-timeout-seconds',
    'seconds',
    'time the next hop has to answer before the request gets 503',
    '10',
    parsePositiveInt,
  ),
  setting(
    'metrics',
    '--metrics',
    'host:port',
    'serve Prometheus /metrics (cost counters) on this address',
    undefined,
    parseHostPort,
  ),
  setting(
    'prices',
    '--prices',
    'file',
    'price overrides file (JSON or YAML); falls back to OTEL_GENAI_COST_PRICES_FILE',
    undefined,
    parseNonEmpty,
  ),
  setting(
    'authToken',
    '--auth-token',
    'token',
    'require "Authorization: Bearer <token>" (prefer the environment variable: flags show in ps)',
    undefined,
    parseNonEmpty,
  ),
  setting(
    'maxBodyBytes',
    '--max-body-bytes',
    'bytes',
    'largest request body on the wire (compressed); larger gets 413',
    '16MiB',
    parseByteSize,
  ),
  setting(
    'maxDecompressedBytes',
    '--max-decompressed-bytes',
    'bytes',
    'largest request body after decompression; larger (a gzip bomb) gets 413',
    '64MiB',
    parseByteSize,
  ),
  setting(
    'maxQueueRequests',
    '--max-queue-requests',
    'count',
    'requests being processed or forwarded at once; more get 503 + Retry-After',
    '64',
    parsePositiveInt,
  ),
  setting(
    'maxQueueBytes',
    '--max-queue-bytes',
    'bytes',
    'decompressed bytes of those requests (heap use is about 6x this at worst); more get 503 + Retry-After',
    '64MiB',
    parseByteSize,
  ),
  setting(
    'traceWindowSeconds',
    '--trace-window-seconds',
    'seconds',
    'how long a trace is remembered after its last span, for exactly-once pricing and counting across requests',
    '300',
    parsePositiveInt,
  ),
  setting(
    'maxTraces',
    '--max-traces',
    'count',
    'traces remembered at most (about 1 KB each); the least recently seen are forgotten first',
    '50000',
    parsePositiveInt,
  ),
  setting(
    'retryAfterSeconds',
    '--retry-after-seconds',
    'seconds',
    'Retry-After sent with 503 when the next hop gave none',
    '5',
    parsePositiveInt,
  ),
  setting(
    'shutdownTimeoutSeconds',
    '--shutdown-timeout-seconds',
    'seconds',
    'on SIGTERM, time to finish requests in progress',
    '30',
    parsePositiveInt,
  ),
];
