import { diag } from '@opentelemetry/api';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { openBudgetFile } from '../budget/budget-file.js';
import type { BudgetGuard } from '../budget/budget-guard.js';
import { CostLedger } from '../ledger/cost-ledger.js';
import { createCostPipeline } from '../pipeline/cost-pipeline.js';
import { startPriceDataRefresh } from '../price-data/start-price-data-refresh.js';
import { NextHopClient } from './forward/next-hop-client.js';
import { NextHopHealth } from './forward/next-hop-health.js';
import { PendingRequests } from './forward/pending-requests.js';
import { GatewayConfigError } from './gateway-config-error.js';
import { createGatewayStats, type GatewayStats } from './gateway-stats.js';
import {
  resolveGatewayOptions,
  type GatewayOptions,
} from './gateway-options.js';
import { gatewayStatus } from './gateway-status.js';
import { BearerToken } from './http/bearer-token.js';
import {
  createGatewayHttpServer,
  TRACES_PATH,
  type GatewayStatus,
} from './http/gateway-http-server.js';
import { startGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
import { RequestEnricher } from './pipeline/request-enricher.js';
import {
  startGatewayGrpcServer,
  type GatewayGrpcServer,
} from './grpc/gateway-grpc-server.js';
import type { TracesEndpointContext } from './http/traces-endpoint.js';

/**
 * When every reading slot is taken, a request reading for this long gives
 * its slot to a new one (503 + Retry-After): honest senders, whose bodies
 * arrive in far less, are served while slow ones hold connections.
 */
const EVICT_AFTER_MILLIS = 1000;

export interface RunningGateway {
  /** `http://host:port/v1/traces`. */
  readonly url: string;
  readonly port: number;
  /** `host:port` of the OTLP/gRPC receiver when `listenGrpc` is set. */
  readonly grpcAddress: string | undefined;
  /** `http://host:port/metrics` when `metrics` is set. */
  readonly metricsUrl: string | undefined;
  readonly stats: GatewayStats;
  status(): GatewayStatus;
  /**
   * Stops accepting requests (new ones get 503), waits up to
   * `shutdownTimeoutSeconds` for those in progress to be forwarded and
   * answered, then closes everything.
   */
  shutdown(): Promise<void>;
}

/**
 * Starts the OTLP/HTTP cost gateway: receives traces, prices LLM spans with
 * the same core as `CostSpanProcessor`, forwards everything to the next
 * hop, and answers 200 only after the next hop accepted the data.
 */
export async function startGateway(
  options: GatewayOptions,
): Promise<RunningGateway> {
  const resolved = resolveGatewayOptions(options);
  const client = new NextHopClient({
    url: resolved.forward,
    headers: resolved.forwardHeaders,
    compression: resolved.forwardCompression,
    timeoutMillis: resolved.forwardTimeoutSeconds * 1000,
    maxSockets: resolved.maxQueueRequests,
  });
  const metrics: GatewayMetrics | undefined =
    resolved.metrics === undefined
      ? undefined
      : await startGatewayMetrics(resolved.metrics, resolved.env);
  // Counted once the next hop accepted a request (RequestEnricher.commit),
  // like the metrics: the ledger holds exactly the calls counted.
  const ledger =
    resolved.ledger === undefined
      ? undefined
      : new CostLedger({
          url: resolved.ledger,
          retainDays: resolved.ledgerRetainDays,
        });
  try {
    await ledger?.ready();
  } catch (error) {
    client.close();
    await ledger?.shutdown();
    await metrics?.shutdown();
    throw new GatewayConfigError(
      `--ledger: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Like the ledger: counts the calls the next hop accepted.
  let budgets: BudgetGuard | undefined;
  try {
    budgets =
      resolved.budgets === undefined
        ? undefined
        : await openBudgetFile(resolved.budgets, {
            env: resolved.env,
            ...(metrics === undefined
              ? {}
              : { meterProvider: metrics.meterProvider }),
          });
  } catch (error) {
    client.close();
    await ledger?.shutdown();
    await metrics?.shutdown();
    throw new GatewayConfigError(
      `--budgets: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const pipeline = createCostPipeline({
    overrides: resolved.overrides,
    // The gateway evaluates with one engine per trace (the trace window's);
    // the pipeline's own engine is not used.
    maxTrackedSpans: 8,
    sinks: [
      ...resolved.sinks,
      ...(metrics === undefined ? [] : [metrics.sink]),
      ...(ledger === undefined ? [] : [ledger]),
      ...(budgets === undefined ? [] : [budgets]),
    ],
    identity: resolved.identity,
    rewriteAllSources: true,
    emitters: resolved.emitters,
  });
  const priceData = startPriceDataRefresh(resolved, pipeline.pricer);
  const enricher = new RequestEnricher({
    pipeline,
    traceWindowMillis: resolved.traceWindowSeconds * 1000,
    maxTraces: resolved.maxTraces,
    maxLlmSpans: resolved.maxLlmSpans,
  });
  const pending = new PendingRequests({
    maxRequests: resolved.maxQueueRequests,
    maxBytes: resolved.maxQueueBytes,
    maxReading: resolved.maxReadingRequests,
    evictAfterMillis: EVICT_AFTER_MILLIS,
  });
  const health = new NextHopHealth();
  const stats = createGatewayStats();
  let draining = false;

  const status = (): GatewayStatus =>
    gatewayStatus({
      draining,
      health,
      pending,
      enricher,
      stats,
      unpriced: pipeline.unpricedModels,
      priceData,
    });

  // One context, one accept path: the OTLP/HTTP and OTLP/gRPC receivers
  // share the limits, the queue, the next hop's health and the enricher.
  const receiver: TracesEndpointContext = {
    token: new BearerToken(resolved.authToken),
    limits: {
      maxBodyBytes: resolved.maxBodyBytes,
      maxDecompressedBytes: resolved.maxDecompressedBytes,
      timeoutMillis: resolved.bodyTimeoutSeconds * 1000,
    },
    decodeLimits: {
      maxSpansPerRequest: resolved.maxSpansPerRequest,
      maxItemsPerRequest: resolved.maxItemsPerRequest,
      maxValueDepth: resolved.maxValueDepth,
    },
    pending,
    health,
    enricher,
    forward: payload => client.send(payload),
    retryAfterSeconds: resolved.retryAfterSeconds,
    isDraining: () => draining,
    stats,
  };
  const server = createGatewayHttpServer(receiver, status, {
    requestTimeoutSeconds: resolved.bodyTimeoutSeconds,
    maxConnections: resolved.maxConnections,
  });
  server.listen(resolved.listen.port, resolved.listen.host);
  let grpcServer: GatewayGrpcServer | undefined;
  try {
    await once(server, 'listening');
    if (resolved.listenGrpc !== undefined) {
      grpcServer = await startGatewayGrpcServer(resolved.listenGrpc, receiver);
    }
  } catch (error) {
    server.close();
    client.close();
    priceData?.shutdown();
    await ledger?.shutdown();
    await budgets?.shutdown();
    await metrics?.shutdown();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = resolved.listen.host.includes(':')
    ? `[${resolved.listen.host}]`
    : resolved.listen.host;

  let stopped: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    draining = true;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    server.closeIdleConnections();
    const timeoutMillis = resolved.shutdownTimeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      pending.whenIdle().then(() => true),
      new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(false), timeoutMillis);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) {
      diag.warn(
        `otel-genai-cost gateway: ${pending.requests} request(s) still in progress after ${resolved.shutdownTimeoutSeconds} s; closing (they were not acknowledged, the sender retries them)`,
      );
    }
    server.closeAllConnections();
    await Promise.all([closed, grpcServer?.close(drained)]);
    client.close();
    enricher.clear();
    priceData?.shutdown();
    await pipeline.shutdown();
    await metrics?.shutdown();
  };

  return {
    url: `http://${host}:${port}${TRACES_PATH}`,
    port,
    grpcAddress: grpcServer?.address,
    metricsUrl: metrics?.url,
    stats,
    status,
    shutdown: () => (stopped ??= shutdown()),
  };
}
