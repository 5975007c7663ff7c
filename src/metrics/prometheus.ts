/**
 * Prometheus `/metrics` for the cost counters, on its own port or mounted on
 * the application's HTTP server. Needs the optional peer dependencies
 * `@opentelemetry/sdk-metrics` and `@opentelemetry/exporter-prometheus`;
 * import it from `otel-genai-cost/prometheus`, never from the main entry.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  MeterProvider,
  type MeterProviderOptions,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { processEnv, type Env } from '../config/env.js';
import {
  PROMETHEUS_SETTINGS,
  type PrometheusSettingValues,
} from '../config/prometheus-settings.js';
import {
  resolveSettings,
  WARN_AND_DEFAULT,
} from '../config/resolve-settings.js';

export interface PrometheusOptions {
  /** Resource of the MeterProvider the helper creates (`target_info`). */
  readonly resource?: MeterProviderOptions['resource'];
  /** Views of that MeterProvider. */
  readonly views?: readonly ViewOptions[];
  /** Prefix for every metric name (`myapp` gives `myapp_gen_ai_...`). Default none. */
  readonly prefix?: string;
  /** Drop the `otel_scope_name`/`otel_scope_version` labels. Default false. */
  readonly withoutScopeInfo?: boolean;
  /** Drop the `target_info` metric. Default false. */
  readonly withoutTargetInfo?: boolean;
}

export interface PrometheusServerOptions extends PrometheusOptions {
  /**
   * Interface to listen on; use `0.0.0.0` in a container.
   * @defaultValue env `OTEL_EXPORTER_PROMETHEUS_HOST`, else `127.0.0.1`
   */
  readonly host?: string;
  /**
   * Port; 0 picks a free one.
   * @defaultValue env `OTEL_EXPORTER_PROMETHEUS_PORT`, else 9464
   */
  readonly port?: number;
  /** Path served; other paths get 404. Default `/metrics`. */
  readonly endpoint?: string;
  /** Environment to read; defaults to `process.env`. For tests. */
  readonly env?: Env;
}

/** A MeterProvider whose metrics Prometheus can scrape. */
export interface PrometheusMetrics {
  /** Pass it to `new CostMetrics({ meterProvider })`. */
  readonly meterProvider: MeterProvider;
  readonly exporter: PrometheusExporter;
  /** Stops serving and shuts the MeterProvider down. */
  shutdown(): Promise<void>;
}

/** A `(req, res)` handler for node:http or Express that answers with the metrics. */
export interface PrometheusHandler extends PrometheusMetrics {
  (request: IncomingMessage, response: ServerResponse): void;
}

export interface PrometheusServer extends PrometheusMetrics {
  /** `http://host:port/metrics`. */
  readonly url: string;
  readonly port: number;
}

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A handler to mount on your own server, e.g. `app.get('/metrics', handler)`.
 * GET and HEAD get the metrics (each request is a collection); other methods
 * get 405.
 */
export function createPrometheusHandler(
  options: PrometheusOptions = {},
): PrometheusHandler {
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    withoutScopeInfo: options.withoutScopeInfo ?? false,
    withoutTargetInfo: options.withoutTargetInfo ?? false,
  });
  const meterProvider = new MeterProvider({
    readers: [exporter],
    ...(options.resource === undefined ? {} : { resource: options.resource }),
    ...(options.views === undefined ? {} : { views: [...options.views] }),
  });
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' });
      response.end('Method Not Allowed\n');
      return;
    }
    exporter.getMetricsRequestHandler(request, response);
    // The exporter says `text/plain`; Prometheus 3 wants the version.
    if (!response.headersSent) response.setHeader('content-type', CONTENT_TYPE);
  };
  return Object.assign(handler, {
    meterProvider,
    exporter,
    shutdown: () => meterProvider.shutdown(),
  });
}

/** Serves the metrics on a port of its own. Resolves once listening. */
export async function startPrometheusServer(
  options: PrometheusServerOptions = {},
): Promise<PrometheusServer> {
  // host and port: option ?? env ?? default; a bad value warns.
  const { host, port } = resolveSettings(
    PROMETHEUS_SETTINGS.filter(setting => setting.env !== undefined),
    { options, env: options.env ?? processEnv(), onInvalid: WARN_AND_DEFAULT },
  ) as Pick<PrometheusSettingValues, 'host' | 'port'>;
  const endpoint = normalizeEndpoint(options.endpoint ?? '/metrics');
  const handler = createPrometheusHandler(options);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== endpoint) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(`Not Found: metrics are served at ${endpoint}\n`);
      return;
    }
    handler(request, response);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await handler.shutdown();
    throw error;
  }
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    meterProvider: handler.meterProvider,
    exporter: handler.exporter,
    port: bound,
    url: `http://${urlHost}:${bound}${endpoint}`,
    shutdown() {
      closed ??= new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(() => handler.shutdown());
      return closed;
    },
  };
}

function normalizeEndpoint(endpoint: string): string {
  return endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
}

// The type of `PrometheusServerOptions.env`.
export type { Env } from '../config/env.js';
