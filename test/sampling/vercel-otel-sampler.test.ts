/**
 * `@vercel/otel` 2.1.3 takes a custom sampler (`traceSampler`) and its
 * bundled SDK applies it, but that SDK never calls `onEnding`: calls are
 * priced by `CostEnrichingSpanExporter`, which sees exported (sampled)
 * spans only. So `CostAwareSampler` does not help there: a dropped LLM span
 * is recorded (memory) but never priced or counted. And its span processor
 * treats the first recorded span of a trace as the trace's root, ending
 * every span of that trace still open when it ends: in a dropped trace, a
 * recorded LLM span can be ended early by a sibling. Real `registerOTel`.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { registerOTel } from '@vercel/otel';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CostAwareSampler,
  CostEnrichingSpanExporter,
  CostSpanProcessor,
} from '../../src/index.js';
import { RecordingSink } from '../helpers/recording-sink.js';

afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

function chatSpan(name = 'chat gpt-4o-mini') {
  return trace.getTracer('gen_ai').startSpan(name, {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
    },
  });
}

describe('CostAwareSampler under @vercel/otel', () => {
  it('is applied (the dropped call is recorded) but the call is never priced or counted', async () => {
    const exporter = new InMemorySpanExporter();
    const processorSink = new RecordingSink();
    const exporterSink = new RecordingSink();
    registerOTel({
      serviceName: 'test',
      instrumentations: [],
      traceSampler: new CostAwareSampler(
        new ParentBasedSampler({ root: new AlwaysOffSampler() }),
      ),
      spanProcessors: [
        new CostSpanProcessor({
          env: {},
          metrics: false,
          sinks: [processorSink],
        }),
        new SimpleSpanProcessor(
          new CostEnrichingSpanExporter(exporter, {
            env: {},
            metrics: false,
            sinks: [exporterSink],
          }),
        ),
      ],
    });
    const request = trace.getTracer('web').startSpan('GET /chat');
    expect(request.isRecording()).toBe(false);
    const span = context.with(trace.setSpan(context.active(), request), () =>
      chatSpan(),
    );
    expect(span.isRecording()).toBe(true);
    span.setAttributes({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
    });
    span.end();
    request.end();
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(processorSink.records).toEqual([]);
    expect(exporterSink.records).toEqual([]);
  });

  it('ends a still-open recorded sibling when the first recorded span of the trace ends', () => {
    registerOTel({
      serviceName: 'test',
      instrumentations: [],
      traceSampler: new CostAwareSampler(
        new ParentBasedSampler({ root: new AlwaysOffSampler() }),
      ),
      spanProcessors: [],
    });
    const request = trace.getTracer('web').startSpan('GET /chat');
    const [first, second] = context.with(
      trace.setSpan(context.active(), request),
      () => [chatSpan(), chatSpan()],
    );
    expect(second?.isRecording()).toBe(true);
    first?.end();
    // @vercel/otel's processor ended it: usage set now is lost.
    expect(second?.isRecording()).toBe(false);
    second?.end();
    request.end();
  });
});
