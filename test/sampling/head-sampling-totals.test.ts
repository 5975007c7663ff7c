/**
 * `CostAwareSampler` at 1% head sampling on the real SDK (sdk-trace 2.12):
 * 2,000 requests, each an HTTP server span with 1-3 gpt-4o-mini calls made
 * three ways (usage at start through `recordLlmCall`; a GenAI client span
 * whose usage is set at the end, as instrumentations do; a `chat <model>`
 * span with no attribute at start, as Traceloop's LangChain instrumentation
 * does). The cost counter must equal the cost of every call (published
 * prices), while the exporters get exactly the sampled traces: about 1% of
 * the requests (binomial bounds), every span of those and none of the rest.
 */
import {
  SpanKind,
  TraceFlags,
  type Attributes,
  type Tracer,
} from '@opentelemetry/api';
import {
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CostAwareSampler,
  recordLlmCall,
  withAttribution,
} from '../../src/index.js';
import { sumBy } from '../metrics/collecting-reader.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { setupSampledTracing, type SampledTracing } from './sampled-tracing.js';

const REQUESTS = 2_000;
const RATIO = 0.01;
const TENANTS = ['acme', 'globex'] as const;

/** mulberry32: the same calls every run (only trace ids are random). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  readonly input: number;
  readonly output: number;
  readonly way: 0 | 1 | 2;
}

function makeCall(tracer: Tracer, call: Call): void {
  const usage: Attributes = {
    'gen_ai.usage.input_tokens': call.input,
    'gen_ai.usage.output_tokens': call.output,
    'gen_ai.response.model': 'gpt-4o-mini',
  };
  if (call.way === 0) {
    recordLlmCall({
      tracer,
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens: call.input, outputTokens: call.output },
    });
    return;
  }
  const atStart: Attributes =
    call.way === 1
      ? {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
        }
      : {};
  const span = tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: atStart,
  });
  if (call.way === 2) {
    span.setAttributes({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
    });
  }
  span.setAttributes(usage);
  span.end();
}

function isSampled(span: ReadableSpan): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

let tracing: SampledTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('CostAwareSampler at 1% head sampling', () => {
  it('counts the cost of every call while exporting about 1% of the traces', async () => {
    const sampler = new CostAwareSampler(
      new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(RATIO) }),
    );
    tracing = setupSampledTracing(sampler, TENANTS);
    const tracer = tracing.provider.getTracer('web');
    const next = random(12);
    const truthByTenant = new Map<string, number>();
    const callsByTrace = new Map<string, number>();
    let calls = 0;
    for (let request = 0; request < REQUESTS; request += 1) {
      const tenant = TENANTS[request % TENANTS.length] as string;
      const count = 1 + Math.floor(next() * 3);
      tracer.startActiveSpan(
        'GET /chat',
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': 'GET', 'http.route': '/chat' },
        },
        root => {
          withAttribution({ tenantId: tenant }, () => {
            for (let i = 0; i < count; i += 1) {
              const call: Call = {
                input: 100 + Math.floor(next() * 5000),
                output: 10 + Math.floor(next() * 2000),
                way: ((request + i) % 3) as 0 | 1 | 2,
              };
              makeCall(tracer, call);
              const cost = expectedCost(GPT_4O_MINI, {
                uncachedInput: call.input,
                output: call.output,
              }).total;
              truthByTenant.set(
                tenant,
                (truthByTenant.get(tenant) ?? 0) + cost,
              );
            }
          });
          callsByTrace.set(root.spanContext().traceId, count);
          root.end();
        },
      );
      calls += count;
    }
    const truth = [...truthByTenant.values()].reduce((a, b) => a + b, 0);

    // Metrics: every call, priced at published prices, by tenant from the
    // context even though the request span was not recorded.
    expect(await tracing.metricCalls()).toBe(calls);
    const costPoints = await tracing.metricPoints('gen_ai.client.cost');
    const costUsd = costPoints.reduce((sum, p) => sum + p.value, 0);
    expect(Math.abs(costUsd - truth) / truth).toBeLessThan(1e-9);
    const byTenant = sumBy(costPoints, 'tenant');
    for (const tenant of TENANTS) {
      const expected = truthByTenant.get(tenant) as number;
      expect(
        Math.abs((byTenant.get(tenant) ?? 0) - expected) / expected,
      ).toBeLessThan(1e-9);
    }
    expect(tracing.sink.records).toHaveLength(calls);

    // Exporters: exactly the sampled traces, every span of them.
    const exported = tracing.simpleExporter.getFinishedSpans();
    const batched = tracing.batchExporter.getFinishedSpans();
    expect(batched.map(s => s.spanContext().spanId).sort()).toEqual(
      exported.map(s => s.spanContext().spanId).sort(),
    );
    const sampledTraces = new Set(exported.map(s => s.spanContext().traceId));
    const exportedCalls = [...sampledTraces].reduce(
      (sum, id) => sum + (callsByTrace.get(id) ?? Number.NaN),
      0,
    );
    expect(exported).toHaveLength(sampledTraces.size + exportedCalls);
    expect(exported.every(isSampled)).toBe(true);
    // Sampled requests ~ Binomial(2000, 0.01): mean 20, sigma 4.45; 4 sigma.
    const sigma = Math.sqrt(REQUESTS * RATIO * (1 - RATIO));
    expect(Math.abs(sampledTraces.size - REQUESTS * RATIO)).toBeLessThan(
      4 * sigma,
    );
    const exportedLlm = exported.filter(s => s.name !== 'GET /chat').length;
    expect(exportedLlm).toBe(exportedCalls);
    expect(exportedLlm / calls).toBeGreaterThan(0.002);
    expect(exportedLlm / calls).toBeLessThan(0.02);

    // Recorded but dropped: every LLM span of a dropped trace; no request
    // span of one.
    const dropped = tracing.ended.filter(s => !isSampled(s));
    expect(dropped).toHaveLength(calls - exportedCalls);
    expect(dropped.every(s => s.name.startsWith('chat '))).toBe(true);
    expect(
      dropped.every(s => !sampledTraces.has(s.spanContext().traceId)),
    ).toBe(true);
    // The priced attributes were written on dropped spans too (onEnding).
    expect(
      dropped.every(s => typeof s.attributes['gen_ai.usage.cost'] === 'number'),
    ).toBe(true);
    console.info(
      `[head-sampling] requests=${REQUESTS} calls=${calls} truth=$${truth.toFixed(6)} metric=$${costUsd.toFixed(6)} sampledRequests=${sampledTraces.size} exportedLlmSpans=${exportedLlm} recordedDropped=${dropped.length}`,
    );
  });

  it('without it, the same sampler counts only the sampled calls', async () => {
    tracing = setupSampledTracing(
      new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(RATIO) }),
    );
    const tracer = tracing.provider.getTracer('web');
    let sampledCalls = 0;
    for (let request = 0; request < 500; request += 1) {
      tracer.startActiveSpan('GET /chat', root => {
        makeCall(tracer, { input: 1000, output: 100, way: 1 });
        if (isSampledSpan(root.spanContext().traceFlags)) sampledCalls += 1;
        root.end();
      });
    }
    expect(await tracing.metricCalls()).toBe(sampledCalls);
    expect(sampledCalls).toBeLessThan(50);
  });
});

function isSampledSpan(flags: number): boolean {
  return (flags & TraceFlags.SAMPLED) !== 0;
}
