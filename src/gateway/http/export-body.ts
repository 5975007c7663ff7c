import type { ServerResponse } from 'node:http';
import { acceptExport } from '../accept/accept-export.js';
import type { OtlpFormat } from '../otlp/otlp-types.js';
import { replyExported } from './otlp-replies.js';
import type { TracesEndpointContext } from './traces-endpoint.js';

/**
 * The body of an accepted request, read: the gateway's one accept path
 * (`acceptExport`: decode, price, forward, count), its outcome answered in
 * OTLP/HTTP: 200 once the next hop accepted the data (with
 * `partial_success`), 400 for a body that is not a valid request, 413 over
 * a decode limit, 503 with `Retry-After` when the next hop is down, 500
 * when it refused the data for good.
 */
export async function exportBody(
  body: Buffer,
  format: OtlpFormat,
  context: TracesEndpointContext,
  response: ServerResponse,
  reply: (status: number, message: string, retryAfterSeconds?: number) => void,
): Promise<void> {
  const outcome = await acceptExport(body, format, context);
  switch (outcome.kind) {
    case 'invalid':
      return reply(outcome.status, outcome.message);
    case 'retryable':
      return reply(503, outcome.message, outcome.retryAfterSeconds);
    case 'refused':
      return reply(500, `${outcome.message}; the batch was not accepted`);
    case 'exported': {
      const { stats } = context;
      stats.responses[200] = (stats.responses[200] ?? 0) + 1;
      replyExported(response, format, outcome.partialSuccess);
    }
  }
}
