/**
 * The refresh through `CostEnrichingSpanExporter`: exported spans carry
 * the refreshed price and version; its shutdown stops the refresh.
 * gpt-4o: published $2.50 / $10 per million; the served data says $3 input.
 */
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { PRICE_CORRECTIONS_VERSION } from '../../src/core/price/corrections/price-corrections-data.js';
import { EFFECTIVE_PRICES_VERSION } from '../../src/core/price/price-corrections.js';
import { CostEnrichingSpanExporter } from '../../src/index.js';
import { ATTR_COST, ATTR_COST_PRICE_VERSION } from '../../src/semconv.js';
import { chatSpan } from '../helpers/chat-span.js';
import {
  changedPriceData,
  expectedDataVersion,
  startPriceDataServer,
  type PriceDataServer,
} from './helpers/price-data-server.js';

let server: PriceDataServer | undefined;
let provider: NodeTracerProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
  await server?.close();
  server = undefined;
});

describe('CostEnrichingSpanExporter with priceDataUrl', () => {
  it('exports spans priced from the refreshed data', async () => {
    const body = await changedPriceData();
    server = await startPriceDataServer({ kind: 'body', body });
    const memory = new InMemorySpanExporter();
    provider = new NodeTracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor(
          new CostEnrichingSpanExporter(memory, {
            env: {},
            metrics: false,
            priceDataUrl: server.url,
            priceDataCacheFile: 'none',
          }),
        ),
      ],
    });
    const tracer = provider.getTracer('test');
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) {
      chatSpan(tracer, {
        model: 'gpt-4o',
        input: 1_000_000,
        output: 1_000_000,
      });
      const spans = memory.getFinishedSpans();
      last = { ...spans.at(-1)?.attributes };
      if (last[ATTR_COST_PRICE_VERSION] !== EFFECTIVE_PRICES_VERSION) break;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(last[ATTR_COST]).toBeCloseTo(3 + 10, 9);
    expect(last[ATTR_COST_PRICE_VERSION]).toBe(
      `${expectedDataVersion(body)}+corrections.${PRICE_CORRECTIONS_VERSION}`,
    );
  });
});
