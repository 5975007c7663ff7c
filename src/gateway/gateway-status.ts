import type { NextHopHealth } from './forward/next-hop-health.js';
import type { PendingRequests } from './forward/pending-requests.js';
import type { GatewayStats } from './gateway-stats.js';
import type { GatewayStatus } from './http/gateway-http-server.js';
import type { RequestEnricher } from './pipeline/request-enricher.js';
import type { UnpricedModels } from '../pipeline/unpriced-models.js';

/** `/healthz` lists at most this many unpriced (reason, provider, model). */
export const MAX_LISTED_UNPRICED = 100;

export interface GatewayState {
  readonly draining: boolean;
  readonly health: NextHopHealth;
  readonly pending: PendingRequests;
  readonly enricher: RequestEnricher;
  readonly stats: GatewayStats;
  readonly unpriced?: UnpricedModels | undefined;
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
    },
    stats: state.stats,
  };
}
