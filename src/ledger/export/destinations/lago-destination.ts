import type { ExportEvent } from '../export-event.js';
import {
  joinUrl,
  retryable,
  type ExportDestination,
} from './export-destination.js';

/** Lago's answer to a `transaction_id` it holds: `{"error_details":{"transaction_id":["value_already_exist"]}}`. */
const LAGO_DUPLICATE = /"transaction_id"\s*:\s*\[[^\]]*"value_already_exist"/;

/**
 * Lago (`POST /api/v1/events`, JSON): `{ event: { transaction_id,
 * external_subscription_id, code, timestamp, properties } }` with our key
 * as `transaction_id` (unique per subscription for good: a duplicate
 * answers 422, which means delivered before), the day's UTC start as a
 * stable `timestamp` (Unix seconds) and the usage in `properties`
 * (aggregate `cost_usd_micros` with a sum metric).
 */
export const LAGO_DESTINATION: ExportDestination = {
  target: 'lago',
  defaultEndpoint: 'https://api.getlago.com',
  defaultMeter: 'llm_cost',
  keyVariable: 'LAGO_API_KEY',
  keyRequired: true,
  dedupeWindowHours: Number.POSITIVE_INFINITY,
  body(event: ExportEvent): string {
    return JSON.stringify({
      event: {
        transaction_id: event.key,
        external_subscription_id: event.vendorCustomer,
        code: event.meter,
        timestamp: event.timestampSeconds,
        properties: {
          cost_usd_micros: event.valueMicroUsd,
          cost_nusd: event.costNanoUsd,
          calls: event.calls,
          input_tokens: event.inputTokens,
          output_tokens: event.outputTokens,
        },
      },
    });
  },
  request(endpoint, body) {
    return {
      method: 'POST',
      url: joinUrl(endpoint, '/api/v1/events'),
      headers: { 'content-type': 'application/json' },
      body,
    };
  },
  verdict(status, text) {
    if (status >= 200 && status < 300) return 'accepted';
    if (status === 422 && LAGO_DUPLICATE.test(text)) return 'duplicate';
    return retryable(status) ? 'retry' : 'fail';
  },
};
