/**
 * Rough memory and time of a recorded-but-dropped LLM span, against a
 * dropped (NOT_RECORD) one and an exported one: N call spans held open at
 * once (in flight), then ended. Not a test (no assertion); run with
 *   node --expose-gc --import tsx test/sampling/measure-memory.ts
 */
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CostAwareSampler, CostSpanProcessor } from '../../src/index.js';

const N = 20_000;
const gc = (globalThis as { gc?: () => void }).gc!;
function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measure(label: string, sampler: Sampler, withChild: boolean) {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    sampler,
    spanProcessors: [
      new CostSpanProcessor({ env: {}, metrics: false }),
      new SimpleSpanProcessor(exporter),
    ],
  });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-openai');
  // warm-up
  for (let i = 0; i < 2000; i++) {
    const s = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'server.address': 'api.openai.com',
        'server.port': 443,
      },
    });
    s.setAttributes({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.id': 'chatcmpl-' + i,
    });
    s.end();
  }
  exporter.reset();
  const before = heap();
  const open: Span[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const s = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'server.address': 'api.openai.com',
        'server.port': 443,
      },
    });
    open.push(s);
    if (withChild) {
      const c = tracer.startSpan(
        'POST',
        { kind: SpanKind.CLIENT },
        trace.setSpan(context.active(), s),
      );
      open.push(c);
    }
  }
  const startNs = Number(process.hrtime.bigint() - t0);
  const inFlight = heap() - before;
  const t1 = process.hrtime.bigint();
  for (let i = open.length - 1; i >= 0; i--) {
    const s = open[i] as Span;
    if (!withChild || i % 2 === 0) {
      s.setAttributes({
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.response.model': 'gpt-4o-mini',
        'gen_ai.response.id': 'chatcmpl-x' + i,
      });
    }
    s.end();
  }
  const endNs = Number(process.hrtime.bigint() - t1);
  open.length = 0;
  exporter.reset();
  const after = heap() - before;
  console.log(
    `${label.padEnd(42)} in flight: ${(inFlight / N).toFixed(0).padStart(6)} B/call  after end: ${(after / N).toFixed(0).padStart(5)} B/call  start+end: ${((startNs + endNs) / N / 1000).toFixed(2)} us/call`,
  );
  await provider.shutdown();
}

for (const withChild of [false, true]) {
  console.log(
    withChild
      ? '--- each call with one HTTP child span'
      : '--- call span alone',
  );
  await measure('AlwaysOff (NOT_RECORD)', new AlwaysOffSampler(), withChild);
  await measure(
    'CostAware(AlwaysOff) (RECORD, not exported)',
    new CostAwareSampler(new AlwaysOffSampler()),
    withChild,
  );
  await measure(
    'CostAware(AlwaysOff, recordDescendants:false)',
    new CostAwareSampler(new AlwaysOffSampler(), { recordDescendants: false }),
    withChild,
  );
  await measure(
    'AlwaysOn (exported, exporter reset)',
    new AlwaysOnSampler(),
    withChild,
  );
}
