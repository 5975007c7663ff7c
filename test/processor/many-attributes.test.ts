/**
 * Spans with many attributes (V8 dictionary objects; the processor then
 * reads the marker keys instead of passing over the keys, by the SDK's
 * attribute count): a 30-attribute HTTP span is left untouched, and a
 * 30-attribute span that becomes a GenAI call only when it ends (markers
 * set after start) is priced once, at the published price.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function headers(count: number, prefix: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    attributes[`http.request.header.${prefix}${i}`] = `v${i}`;
  }
  return attributes;
}

describe('CostSpanProcessor on spans with many attributes', () => {
  it('leaves a 30-attribute HTTP span untouched and counts nothing', async () => {
    tracing = setupTracing();
    const span = tracing
      .tracer('@opentelemetry/instrumentation-http')
      .startSpan('GET /orders', { attributes: headers(20, 'a') });
    span.setAttributes(headers(10, 'b'));
    span.end();
    const [exported] = await tracing.spans();
    expect(Object.keys(exported?.attributes ?? {})).toHaveLength(30);
    expect(
      Object.keys(exported?.attributes ?? {}).some(key =>
        key.startsWith('gen_ai.usage.cost'),
      ),
    ).toBe(false);
    expect(tracing.sink.records).toHaveLength(0);
  });

  it('prices a 30-attribute span whose GenAI markers are set after start, once', async () => {
    tracing = setupTracing();
    const tracer = tracing.tracer('my-app');
    const request = tracer.startSpan('POST /chat', {
      attributes: headers(25, 'r'),
    });
    const call = tracer.startSpan(
      'chat gpt-4o',
      { attributes: headers(25, 'c') },
      trace.setSpan(ROOT_CONTEXT, request),
    );
    call.setAttributes({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1_000_000,
      'gen_ai.usage.output_tokens': 1_000_000,
    });
    call.end();
    request.end();
    await tracing.spans();
    expect(tracing.sink.records).toHaveLength(1);
    // OpenAI gpt-4o: $2.50 per 1M input tokens, $10.00 per 1M output.
    const record = tracing.sink.records[0];
    expect(record?.cost.priced && record.cost.totalUsd).toBeCloseTo(12.5, 9);
  });
});
