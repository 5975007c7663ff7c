import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type {
  ReadableSpan,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoCost, expectPricedSpan } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import {
  CostEnrichingSpanExporter,
  CostSpanProcessor,
  withAttribution,
} from '../../src/index.js';
import type { CostRecord, CostSink } from '../../src/index.js';

const CALL = expectedCost(GPT_4O_MINI, { uncachedInput: 1000, output: 100 });

class Sink implements CostSink {
  readonly records: CostRecord[] = [];
  flushed = 0;
  record(record: CostRecord): void {
    this.records.push(record);
  }
  forceFlush(): Promise<void> {
    this.flushed += 1;
    return Promise.resolve();
  }
}

/** Keeps the span objects the SDK hands to processors, to prove they are not mutated. */
class Originals implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function agentTree(tracer: Tracer, userId: string): void {
  // AI SDK v7 shape: runtime context on invoke_agent only.
  tracer.startActiveSpan(
    'invoke_agent gpt-4o-mini',
    {
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'ai.settings.context.userId': userId,
      },
    },
    agent => {
      tracer.startActiveSpan(
        'step 1',
        { attributes: { 'gen_ai.operation.name': 'agent_step' } },
        step => {
          const chat = tracer.startSpan('chat gpt-4o-mini', {
            attributes: {
              'gen_ai.operation.name': 'chat',
              'gen_ai.provider.name': 'openai',
              'gen_ai.request.model': 'gpt-4o-mini',
            },
          });
          chat.setAttributes({
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
          });
          chat.end();
          step.end();
        },
      );
      agent.setAttributes({
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
      });
      agent.end();
    },
  );
}

let provider: NodeTracerProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
});

function start(processors: SpanProcessor[]): Tracer {
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  provider = new NodeTracerProvider({ spanProcessors: processors });
  return provider.getTracer('gen_ai');
}

describe('CostEnrichingSpanExporter', () => {
  it('prices and attributes spans no processor priced, on copies, inheriting from ancestors in the batch', async () => {
    const inner = new InMemorySpanExporter();
    const sink = new Sink();
    const originals = new Originals();
    const tracer = start([
      originals,
      new BatchSpanProcessor(
        new CostEnrichingSpanExporter(inner, { env: {}, sinks: [sink] }),
      ),
    ]);
    agentTree(tracer, 'user-a');
    agentTree(tracer, 'user-b');
    await provider!.forceFlush();
    const exported = inner.getFinishedSpans();
    const chats = exported.filter(s => s.name.startsWith('chat'));
    expect(chats).toHaveLength(2);
    for (const chat of chats) expectPricedSpan(chat, CALL, { parts: true });
    expect(chats.map(s => s.attributes['user.id'])).toEqual([
      'user-a',
      'user-b',
    ]);
    expect(
      chats.map(s => s.attributes['gen_ai.cost.attribution.source']),
    ).toEqual(['ancestor', 'ancestor']);
    for (const wrapper of exported.filter(s => !s.name.startsWith('chat')))
      expectNoCost(wrapper);
    // The copies keep every field the OTLP transformer reads.
    const chat = chats[0]!;
    const original = originals.spans.find(
      s => s.spanContext().spanId === chat.spanContext().spanId,
    )!;
    expect(chat).not.toBe(original);
    expect(chat.spanContext()).toEqual(original.spanContext());
    expect(chat.parentSpanContext).toEqual(original.parentSpanContext);
    expect([
      chat.name,
      chat.kind,
      chat.startTime,
      chat.endTime,
      chat.duration,
      chat.status,
      chat.resource,
      chat.instrumentationScope,
    ]).toEqual([
      original.name,
      original.kind,
      original.startTime,
      original.endTime,
      original.duration,
      original.status,
      original.resource,
      original.instrumentationScope,
    ]);
    // Originals are untouched.
    for (const span of originals.spans) {
      expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
      expect(span.attributes['user.id']).toBeUndefined();
    }
    expect(sink.records.map(r => r.identity.userId)).toEqual([
      'user-a',
      'user-b',
    ]);
  });

  it('reads withAttribution tags captured by a CostSpanProcessor onStart', async () => {
    const inner = new InMemorySpanExporter();
    // A processor whose onEnding never runs, as on SDKs < 2.3.
    const processor = new CostSpanProcessor({ env: {} });
    const onStartOnly: SpanProcessor = {
      onStart: (span, ctx) => processor.onStart(span, ctx),
      onEnd: () => {},
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const tracer = start([
      onStartOnly,
      new SimpleSpanProcessor(
        new CostEnrichingSpanExporter(inner, { env: {} }),
      ),
    ]);
    await withAttribution(
      { userId: 'ctx-user', tenantId: 'acme' },
      async () => {
        await Promise.resolve();
        agentTree(tracer, 'ancestor-user');
      },
    );
    const chat = inner.getFinishedSpans().find(s => s.name.startsWith('chat'))!;
    expectPricedSpan(chat, CALL);
    expect(chat.attributes).toMatchObject({
      'user.id': 'ctx-user',
      'tenant.id': 'acme',
      'gen_ai.cost.attribution.source': 'context',
    });
  });

  it('passes spans a processor already evaluated unchanged (same objects, no second record)', async () => {
    const inner = new InMemorySpanExporter();
    const processorSink = new Sink();
    const exporterSink = new Sink();
    const originals = new Originals();
    const tracer = start([
      new CostSpanProcessor({ env: {}, sinks: [processorSink] }),
      originals,
      new SimpleSpanProcessor(
        new CostEnrichingSpanExporter(inner, {
          env: {},
          sinks: [exporterSink],
        }),
      ),
    ]);
    agentTree(tracer, 'u');
    const exported = inner.getFinishedSpans();
    const chat = exported.find(s => s.name.startsWith('chat'))!;
    expectPricedSpan(chat, CALL);
    expect(chat).toBe(originals.spans.find(s => s.name.startsWith('chat')));
    expect(processorSink.records).toHaveLength(1);
    expect(exporterSink.records).toHaveLength(0);
  });

  it('still pseudonymizes identity on spans a processor without a secret already priced', async () => {
    const inner = new InMemorySpanExporter();
    const tracer = start([
      new CostSpanProcessor({ env: {} }),
      new SimpleSpanProcessor(
        new CostEnrichingSpanExporter(inner, {
          env: {},
          hmacSecret: 'exporter-secret',
        }),
      ),
    ]);
    agentTree(tracer, 'alice-42');
    const exported = inner.getFinishedSpans();
    const chat = exported.find(s => s.name.startsWith('chat'))!;
    expectPricedSpan(chat, CALL);
    expect(JSON.stringify(exported.map(s => s.attributes))).not.toContain(
      'alice-42',
    );
    expect(String(chat.attributes['user.id'])).toMatch(/^hmac:/);
  });

  it('forwards forceFlush and shutdown to the inner exporter and the sinks, and survives a throwing sink', async () => {
    const calls: string[] = [];
    const inner: SpanExporter = {
      export: (spans, done) => {
        calls.push(`export:${spans.length}`);
        done({ code: ExportResultCode.SUCCESS });
      },
      forceFlush: () => {
        calls.push('flush');
        return Promise.resolve();
      },
      shutdown: () => {
        calls.push('shutdown');
        return Promise.resolve();
      },
    };
    const sink = new Sink();
    const throwing: CostSink = {
      record: () => {
        throw new Error('sink down');
      },
    };
    const exporter = new CostEnrichingSpanExporter(inner, {
      env: {},
      sinks: [throwing, sink],
    });
    const tracer = start([new SimpleSpanProcessor(exporter)]);
    agentTree(tracer, 'u');
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(calls).toEqual([
      'export:1',
      'export:1',
      'export:1',
      'flush',
      'shutdown',
    ]);
    expect(sink.records).toHaveLength(1);
    expect(sink.flushed).toBe(2); // forceFlush(), then shutdown() flushes first
  });
});
