import type { ExportEvent } from '../export-event.js';
import {
  joinUrl,
  retryable,
  type ExportDestination,
} from './export-destination.js';

/** The CloudEvents `source` of every event from `destination`: stable, part of OpenMeter's dedupe key. */
export function openMeterSource(destination: string): string {
  return `otel-genai-cost/${destination}`;
}

/**
 * OpenMeter (`POST /api/v1/events`, `application/cloudevents+json`): one
 * CloudEvent, `specversion` 1.0, `id` our key, `source` stable per
 * destination (OpenMeter dedupes on source + id, about 24 h, and not at
 * all in self-hosted OpenMeter by default), `type` the meter's event type,
 * `subject` the customer, `time` the day's UTC start, `data` the usage
 * (meter on `$.cost_usd_micros`; tokens and calls alongside). A duplicate
 * is accepted silently.
 */
export const OPENMETER_DESTINATION: ExportDestination = {
  target: 'openmeter',
  defaultEndpoint: 'https://openmeter.cloud',
  defaultMeter: 'llm_cost',
  keyVariable: 'OPENMETER_API_KEY',
  keyRequired: false,
  dedupeWindowHours: 24,
  body(event: ExportEvent): string {
    return JSON.stringify({
      specversion: '1.0',
      id: event.key,
      source: openMeterSource(event.destination),
      type: event.meter,
      subject: event.vendorCustomer,
      time: new Date(event.timestampSeconds * 1000).toISOString(),
      datacontenttype: 'application/json',
      data: {
        cost_usd_micros: event.valueMicroUsd,
        cost_nusd: event.costNanoUsd,
        calls: event.calls,
        input_tokens: event.inputTokens,
        output_tokens: event.outputTokens,
        day: event.day,
      },
    });
  },
  request(endpoint, body) {
    return {
      method: 'POST',
      url: joinUrl(endpoint, '/api/v1/events'),
      headers: { 'content-type': 'application/cloudevents+json' },
      body,
    };
  },
  verdict(status) {
    if (status >= 200 && status < 300) return 'accepted';
    return retryable(status) ? 'retry' : 'fail';
  },
};
