/** Counters the gateway exposes on `/healthz` (since start). */
export interface GatewayStats {
  /** Answers by HTTP status on `/v1/traces`. */
  readonly responses: Record<string, number>;
  spansReceived: number;
  spansForwarded: number;
  spansRejected: number;
  /** LLM calls evaluated and counted in the sinks (once per span). */
  callsCounted: number;
  /** Of those, calls left without a cost figure. */
  callsUnpriced: number;
}

export function createGatewayStats(): GatewayStats {
  return {
    responses: {},
    spansReceived: 0,
    spansForwarded: 0,
    spansRejected: 0,
    callsCounted: 0,
    callsUnpriced: 0,
  };
}
