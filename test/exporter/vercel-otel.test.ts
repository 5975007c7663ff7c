/**
 * `@vercel/otel` bundles its own sdk-trace-base 2.1, whose spans never call
 * `onEnding`: a CostSpanProcessor alone writes nothing there. Its onStart
 * still runs, so with the exporter wrapper the cost and the
 * `withAttribution` identity arrive. Real `registerOTel`, no mocks.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { registerOTel } from '@vercel/otel';
import { afterEach, describe, expect, it } from 'vitest';
import { expectPricedSpan } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import {
  CostEnrichingSpanExporter,
  CostSpanProcessor,
  withAttribution,
} from '../../src/index.js';

afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

async function chatInRequest(userId: string): Promise<void> {
  await withAttribution({ userId }, async () => {
    await new Promise(resolve => setTimeout(resolve, 1));
    const span = trace.getTracer('gen_ai').startSpan('chat gpt-4o-mini', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      },
    });
    span.setAttributes({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
    });
    span.end();
  });
}

describe('@vercel/otel registerOTel', () => {
  it('CostSpanProcessor alone: onEnding never runs, nothing is written', async () => {
    const exporter = new InMemorySpanExporter();
    registerOTel({
      serviceName: 'test',
      instrumentations: [],
      spanProcessors: [
        new CostSpanProcessor({ env: {} }),
        new SimpleSpanProcessor(exporter),
      ],
    });
    await chatInRequest('u1');
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('chat gpt-4o-mini');
    expect(span?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('with CostEnrichingSpanExporter: priced and attributed from withAttribution', async () => {
    const exporter = new InMemorySpanExporter();
    registerOTel({
      serviceName: 'test',
      instrumentations: [],
      spanProcessors: [
        new CostSpanProcessor({ env: {} }),
        new SimpleSpanProcessor(
          new CostEnrichingSpanExporter(exporter, { env: {} }),
        ),
      ],
    });
    await Promise.all([chatInRequest('u1'), chatInRequest('u2')]);
    const spans = exporter.getFinishedSpans();
    expect(spans.map(s => s.attributes['user.id']).sort()).toEqual([
      'u1',
      'u2',
    ]);
    for (const span of spans) {
      expectPricedSpan(
        span,
        expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 100 }),
      );
      expect(span.attributes['gen_ai.cost.attribution.source']).toBe('context');
    }
  });
});
