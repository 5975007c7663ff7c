/**
 * A fleet: three gateway replicas, each with --listen-grpc, behind a
 * trace-id router (the Collector's loadbalancing exporter, routing_key
 * traceID, in test form), with the real OTLP/gRPC exporter sending many
 * traces in small batches (traces split across requests). Every LLM call
 * is priced and counted once across the fleet (the replicas' counters sum
 * to the published-price total), and every span of a trace, nested and
 * stacked ones included, lands on one replica, also when everything is
 * sent again.
 */
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import {
  BatchSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedCost, GPT_4O_MINI } from '../../helpers/prices.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import {
  CHAT_COST,
  DO_GENERATE_COST,
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';
import { referenceDecode } from '../helpers/reference-decoder.js';
import {
  replicaOf,
  startTraceIdRouter,
  type TraceIdRouter,
} from './trace-id-router.js';

const SCENARIO_TRACES = 40;
const STACKED_TRACES = 20;
/** gpt-4o-mini, 1000 input and 200 output tokens, at published prices. */
const STACKED_COST = expectedCost(GPT_4O_MINI, {
  uncachedInput: 1000,
  output: 200,
}).total;
const EXPECTED_CALLS = 2 * SCENARIO_TRACES + STACKED_TRACES;
const EXPECTED_TOTAL =
  SCENARIO_TRACES * (CHAT_COST.total + DO_GENERATE_COST.total) +
  STACKED_TRACES * STACKED_COST;

/** A LangChain (OpenInference) LLM span stacked over the OpenAI client's chat span. */
function emitStacked(tracer: Tracer, langchain: Tracer, n: number): void {
  const root = tracer.startSpan(`agent ${n}`, {}, ROOT_CONTEXT);
  const parent = langchain.startSpan(
    'ChatOpenAI',
    {
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o-mini',
        'llm.provider': 'openai',
        'llm.token_count.prompt': 1000,
        'llm.token_count.completion': 200,
      },
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 200,
      },
    },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  chat.end();
  parent.end();
  root.end();
}

let replicas: GatewayFixture[] = [];
let router: TraceIdRouter;
beforeAll(async () => {
  replicas = await Promise.all(
    [0, 1, 2].map(() =>
      startGatewayFixture({ listenGrpc: { host: '127.0.0.1', port: 0 } }),
    ),
  );
  router = await startTraceIdRouter(
    replicas.map(replica => replica.gateway.grpcAddress as string),
  );
});
afterAll(async () => {
  await router.close();
  await Promise.all(replicas.map(replica => replica.close()));
});

function fleetTotals(): { calls: number; counted: number; total: number } {
  let calls = 0;
  let counted = 0;
  let total = 0;
  for (const replica of replicas) {
    calls += replica.records.length;
    counted += replica.gateway.stats.callsCounted;
    for (const record of replica.records) {
      if (record.cost.priced) total += record.cost.totalUsd;
    }
  }
  return { calls, counted, total };
}

/** trace id -> the replicas its spans were forwarded by. */
function tracesByReplica(): Map<string, Set<number>> {
  const where = new Map<string, Set<number>>();
  replicas.forEach((replica, index) => {
    for (const span of replica.forwardedSpans()) {
      const set = where.get(span.traceId) ?? new Set<number>();
      set.add(index);
      where.set(span.traceId, set);
    }
  });
  return where;
}

describe('three replicas behind a trace-id router', () => {
  let spans: ReadableSpan[] = [];

  it('prices and counts every LLM call once across the fleet; each trace stays on one replica', async () => {
    const exporter = new OTLPTraceExporter({
      url: `http://${router.address}`,
      timeoutMillis: 20_000,
      // forceFlush exports every batch at once.
      concurrencyLimit: 1000,
    });
    const { provider, memory } = scenarioProvider(
      { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} },
      [
        // Small batches: the spans of one trace travel in several requests.
        new BatchSpanProcessor(exporter, {
          maxExportBatchSize: 7,
          scheduledDelayMillis: 10,
          maxQueueSize: 10_000,
        }),
      ],
    );
    const tracers = scenarioTracers(provider);
    const langchain = provider.getTracer(
      'openinference.instrumentation.langchain',
    );
    for (let n = 0; n < SCENARIO_TRACES; n += 1) emitScenario(tracers, n);
    for (let n = 0; n < STACKED_TRACES; n += 1) {
      emitStacked(tracers.genai, langchain, n);
    }
    await provider.forceFlush();
    spans = memory.getFinishedSpans();
    await provider.shutdown();

    const totals = fleetTotals();
    expect(totals.calls).toBe(EXPECTED_CALLS);
    expect(totals.counted).toBe(EXPECTED_CALLS);
    expect(Math.abs(totals.total - EXPECTED_TOTAL)).toBeLessThan(1e-12);

    // Every span forwarded once, by the replica its trace id routes to.
    const forwarded = replicas.flatMap(replica => replica.forwardedSpans());
    expect(forwarded.map(span => span.spanId).sort()).toEqual(
      spans.map(span => span.spanContext().spanId).sort(),
    );
    const where = tracesByReplica();
    expect(where.size).toBe(SCENARIO_TRACES + STACKED_TRACES);
    for (const [traceId, set] of where) {
      expect([...set], traceId).toEqual([replicaOf(traceId, 3)]);
    }
    // Traces were split across requests (so the replica's trace memory, not
    // one request, kept each call counted once).
    const requestsPerTrace = new Map<string, number>();
    for (const replica of replicas) {
      for (const request of replica.sink.accepted) {
        const ids = new Set(
          referenceDecode(request.body).map(span => span.traceId),
        );
        for (const id of ids) {
          requestsPerTrace.set(id, (requestsPerTrace.get(id) ?? 0) + 1);
        }
      }
    }
    expect(Math.max(...requestsPerTrace.values())).toBeGreaterThan(1);
    // The load is spread: every replica served traces and counted calls.
    for (const replica of replicas) {
      expect(replica.records.length).toBeGreaterThan(0);
    }
    // Stacked layers: the client span priced, the LangChain span above it not.
    const stackedParents = forwarded.filter(span => span.name === 'ChatOpenAI');
    expect(stackedParents).toHaveLength(STACKED_TRACES);
    for (const parent of stackedParents) {
      expect(parent.attributes['gen_ai.usage.cost']).toBeUndefined();
    }
  });

  it('everything sent again through the router is forwarded again and counted once', async () => {
    expect(spans.length).toBeGreaterThan(0);
    const exporter = new OTLPTraceExporter({
      url: `http://${router.address}`,
      timeoutMillis: 20_000,
    });
    for (let start = 0; start < spans.length; start += 11) {
      const result = await new Promise<ExportResult>(resolve =>
        exporter.export(spans.slice(start, start + 11), resolve),
      );
      expect(result.code, String(result.error)).toBe(0);
    }
    await exporter.shutdown();
    const totals = fleetTotals();
    expect(totals.calls).toBe(EXPECTED_CALLS);
    expect(Math.abs(totals.total - EXPECTED_TOTAL)).toBeLessThan(1e-12);
    const forwarded = replicas.flatMap(replica => replica.forwardedSpans());
    expect(forwarded).toHaveLength(2 * spans.length);
    for (const [traceId, set] of tracesByReplica()) {
      expect([...set], traceId).toEqual([replicaOf(traceId, 3)]);
    }
  });
});
