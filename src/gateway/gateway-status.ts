import type { NextHopHealth } from './forward/next-hop-health.js';
import type { PendingRequests } from './forward/pending-requests.js';
import type { GatewayStats } from './gateway-stats.js';
import type { GatewayStatus } from './http/gateway-http-server.js';
import type { RequestEnricher } from './pipeline/request-enricher.js';
import type { UnpricedModels } from '../pipeline/unpriced-models.js';
import type { PriceDataRefresher } from '../price-data/price-data-refresher.js';
import { EFFECTIVE_PRICES_VERSION } from '../core/price/price-corrections.js';
import { effectivePricesVersion } from '../core/price/pricer.js';

/** `/healthz` lists at most this many unpriced (reason, provider, model). */
export const MAX_LISTED_UNPRICED = 100;

export interface GatewayState {
  readonly draining: boolean;
  readonly health: NextHopHealth;
  readonly pending: PendingRequests;
  readonly enricher: RequestEnricher;
  readonly stats: GatewayStats;
  readonly unpriced?: UnpricedModels | undefined;
  /** The run-time price data refresh, when on. */
  readonly priceData?: PriceDataRefresher | undefined;
}

/**
 * Readiness and details for `/healthz` and `/readyz`: not ready while
 * shutting down, while the next hop is known to be down, or while the queue
 * is full. Bodies still arriving (`queue.reading`) hold no queue slot, so
 * slow senders never make the gateway unready. `unpriced` lists the
 * calls left unpriced by (reason, provider, model), most calls first (at
 * most `MAX_LISTED_UNPRICED`), for `otel-genai-cost prices unknown`.
 */
export function gatewayStatus(state: GatewayState): GatewayStatus {
  const { health, pending } = state;
  const retryAfter = health.retryAfterSeconds(Date.now());
  const reason = state.draining
    ? 'shutting down'
    : retryAfter !== undefined
      ? `next hop down: ${health.lastError ?? ''}`
      : pending.full
        ? 'queue full'
        : undefined;
  return {
    ready: reason === undefined,
    reason,
    details: {
      nextHop: retryAfter === undefined ? 'up' : 'down',
      queue: {
        requests: pending.requests,
        bytes: pending.bytes,
        reading: pending.reading,
      },
      traces: state.enricher.traces,
      unpriced: (state.unpriced?.list(MAX_LISTED_UNPRICED) ?? []).map(
        ({ reason, provider, model, calls }) => ({
          reason,
          provider,
          model,
          calls,
        }),
      ),
      unpricedOverflowCalls: state.unpriced?.overflowCalls ?? 0,
      prices: pricesStatus(state.priceData),
    },
    stats: state.stats,
  };
}

/**
 * The price version spans get from the table now, and, with the refresh
 * on, how its last attempts went (never the source, which may hold a
 * token).
 */
function pricesStatus(
  refresher: PriceDataRefresher | undefined,
): Record<string, unknown> {
  if (refresher === undefined) {
    return { version: EFFECTIVE_PRICES_VERSION, refresh: 'off' };
  }
  const status = refresher.status();
  return {
    version: effectivePricesVersion(status.version),
    refresh: {
      lastOutcome: status.lastOutcome ?? null,
      lastAttemptAt: status.lastAttemptAt ?? null,
      lastSuccessAt: status.lastSuccessAt ?? null,
    },
  };
}
