/**
 * Issue 15, third pass: the request enricher (ids grouped from their bytes,
 * ordering and ancestry on arrays of positions, one trace-window touch per
 * trace and request) against the enricher as it was before
 * (`./reference/`, a copy of the code it replaced). The same requests go
 * through both, each with its own pipeline; everything they give must be
 * the same: the forwarded bytes, the evaluated calls and their records,
 * rejected and duplicate spans, unpriced calls, the identity budget, what
 * `commit` counts, and the traces and LLM spans remembered.
 *
 * Requests: the scan path's random requests (ids from small pools, reused
 * across traces and requests, invalid ids, unknown fields) and span trees
 * made for ordering and ancestry: deep chains, parents that end before
 * their children, equal end times, a span id repeated within a request or
 * in another trace, parent ids of no span or of another trace.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS } from '../../../src/gateway/otlp/decode-limits.js';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import {
  RequestEnricher,
  type EnrichResult,
} from '../../../src/gateway/pipeline/request-enricher.js';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import type { PipelineConfig } from '../../../src/pipeline/pipeline-config.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver.js';
import {
  emitScenario,
  scenarioProvider,
  scenarioTracers,
} from '../helpers/genai-scenario.js';
import { RequestEnricher as ReferenceEnricher } from './reference/request-enricher.js';
import { requestBytes } from './scan-path-arbitrary.js';

interface Setting {
  readonly name: string;
  readonly identity: PipelineConfig['identity'];
  readonly identityBudget?: { values: number; chars: number; nodes: number };
  readonly emitters?: PipelineConfig['emitters'];
  readonly maxTraces: number;
  readonly maxSpansPerTrace: number;
  readonly maxLlmSpans: number;
}

const SETTINGS: readonly Setting[] = [
  {
    name: 'defaults',
    identity: { policy: {}, aliases: new Set() },
    maxTraces: 50_000,
    maxSpansPerTrace: 10_000,
    maxLlmSpans: 250_000,
  },
  {
    name: 'secret, aliases, tight bounds, emitter preference',
    identity: {
      policy: { hmacSecret: 'parity-secret', tagKeys: ['team'] },
      aliases: new Set(['langfuse', 'openinference']),
    },
    identityBudget: { values: 3, chars: 40, nodes: 6 },
    emitters: 'auto',
    maxTraces: 2,
    maxSpansPerTrace: 3,
    maxLlmSpans: 4,
  },
];

function enrichers(setting: Setting) {
  const options = () => ({
    pipeline: createCostPipeline({
      overrides: [],
      maxTrackedSpans: 8,
      sinks: [],
      identity: setting.identity,
      rewriteAllSources: true,
      ...(setting.emitters === undefined ? {} : { emitters: setting.emitters }),
    }),
    traceWindowMillis: 60_000,
    maxTraces: setting.maxTraces,
    maxSpansPerTrace: setting.maxSpansPerTrace,
    maxLlmSpans: setting.maxLlmSpans,
    identityBudget: setting.identityBudget,
  });
  return {
    current: new RequestEnricher(options()),
    reference: new ReferenceEnricher(options()),
  };
}

interface Enricher {
  enrich(...args: Parameters<RequestEnricher['enrich']>): EnrichResult;
  commit(...args: Parameters<RequestEnricher['commit']>): unknown;
  readonly traces: RequestEnricher['traces'];
}

function run(enricher: Enricher, body: Uint8Array, nowMillis: number) {
  const scanned = scanExportTraceRequest(
    body,
    DEFAULT_DECODE_LIMITS,
    'if-marked',
  );
  const result = enricher.enrich(scanned, nowMillis);
  const forwarded = Buffer.from(writeExportTraceRequest(scanned));
  return { result, forwarded, counted: enricher.commit(result.calls) };
}

function comparable(result: EnrichResult) {
  return {
    ...result,
    calls: result.calls.map(({ traceId, spanId, record, remembered }) => ({
      traceId,
      spanId,
      record,
      remembered: remembered !== undefined,
    })),
    unpriced: [...result.unpriced],
  };
}

/** Both enrichers over the same requests; every output compared. */
function expectSame(
  setting: Setting,
  bodies: readonly Uint8Array[],
  stepMillis = 1000,
): number {
  const { current, reference } = enrichers(setting);
  let calls = 0;
  bodies.forEach((body, index) => {
    const now = 1_700_000_000_000 + index * stepMillis;
    const expected = run(reference, body, now);
    const actual = run(current, body, now);
    expect(comparable(actual.result)).toEqual(comparable(expected.result));
    expect(actual.counted).toEqual(expected.counted);
    expect(actual.forwarded.equals(expected.forwarded)).toBe(true);
    expect(current.traces).toEqual(reference.traces);
    calls += actual.result.calls.length;
  });
  return calls;
}

// Span trees for ordering and ancestry.
const TRACE_IDS = ['a1', 'b2', 'c3'].map(hex =>
  Buffer.from(hex.repeat(16), 'hex'),
);
const SPAN_IDS = Array.from({ length: 24 }, (_, i) =>
  Buffer.from((i + 0x10).toString(16).repeat(8), 'hex'),
);
const MARKERS: readonly (readonly { key: string; value: object }[])[] = [
  [],
  [{ key: 'http.route', value: { stringValue: '/chat' } }],
  [{ key: 'user.id', value: { stringValue: 'alice@example.com' } }],
  [
    { key: 'enduser.id', value: { stringValue: 'bob' } },
    { key: 'tenant.id', value: { stringValue: 'acme' } },
  ],
  [{ key: 'metadata', value: { stringValue: '{"user_id":"u-9"}' } }],
  [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: 100 } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: 20 } },
  ],
  [
    { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: 300 } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: 50 } },
  ],
  [
    { key: 'openinference.span.kind', value: { stringValue: 'LLM' } },
    { key: 'llm.model_name', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'llm.token_count.prompt', value: { intValue: 100 } },
    { key: 'llm.token_count.completion', value: { intValue: 20 } },
  ],
  [
    {
      key: 'ai.operationId',
      value: { stringValue: 'ai.generateText.doGenerate' },
    },
    { key: 'ai.model.id', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'ai.model.provider', value: { stringValue: 'openai.chat' } },
    { key: 'ai.usage.promptTokens', value: { intValue: 100 } },
    { key: 'ai.usage.completionTokens', value: { intValue: 20 } },
    { key: 'ai.telemetry.metadata.userId', value: { stringValue: 'u-1' } },
  ],
];
const SCOPES = [
  'app',
  '@opentelemetry/instrumentation-openai',
  'ai',
  '@arizeai/openinference-instrumentation-openai',
];

const node = fc.record({
  /** Index of its parent among the earlier nodes of its tree (-1: root). */
  parent: fc.integer({ min: -1, max: 30 }),
  /** A span id from the pool (collisions within and across trees). */
  id: fc.nat(SPAN_IDS.length - 1),
  /** Parent id not of this tree: none in the request, or another span's. */
  foreignParent: fc.option(fc.nat(SPAN_IDS.length + 1), {
    freq: 8,
    nil: undefined,
  }),
  end: fc.oneof(fc.nat(40), fc.constantFrom(0, 7, 0xffff_ffff)),
  high: fc.constantFrom(0x179, 0x17a, 0x8000_0001),
  markers: fc.nat(MARKERS.length - 1),
  scope: fc.nat(SCOPES.length - 1),
});
const tree = fc.record({
  trace: fc.nat(TRACE_IDS.length - 1),
  nodes: fc.array(node, { minLength: 1, maxLength: 12 }),
});
const treeRequest = fc
  .record({
    trees: fc.array(tree, { minLength: 1, maxLength: 4 }),
    shuffle: fc.array(fc.nat(), { maxLength: 48 }),
    // End times within seconds (ordered by one native sort of keys) or
    // far apart (past what a key holds: ordered by a comparator).
    farApart: fc.boolean(),
  })
  .map(({ trees, shuffle, farApart }) => {
    const spans: { scope: number; span: object }[] = [];
    for (const { trace: t, nodes } of trees) {
      nodes.forEach((n, i) => {
        const parentIndex = n.parent < 0 || i === 0 ? -1 : n.parent % i;
        const parentSpanId =
          n.foreignParent !== undefined
            ? n.foreignParent < SPAN_IDS.length
              ? SPAN_IDS[n.foreignParent]
              : Buffer.alloc(n.foreignParent === SPAN_IDS.length ? 8 : 3, 0)
            : parentIndex < 0
              ? undefined
              : SPAN_IDS[(nodes[parentIndex] as typeof n).id];
        spans.push({
          scope: n.scope,
          span: {
            traceId: TRACE_IDS[t],
            spanId: SPAN_IDS[n.id],
            parentSpanId,
            name: `span ${i}`,
            startTimeUnixNano: { low: 0, high: 0x178, unsigned: true },
            endTimeUnixNano: {
              low: n.end,
              high: farApart ? n.high : 0x179,
              unsigned: true,
            },
            attributes: MARKERS[n.markers],
          },
        });
      });
    }
    // A few swaps, so spans of a trace are not in tree order.
    shuffle.forEach((r, k) => {
      const a = k % spans.length;
      const b = r % spans.length;
      [spans[a], spans[b]] = [
        spans[b] as (typeof spans)[0],
        spans[a] as (typeof spans)[0],
      ];
    });
    return otlpMessageTypes()
      .request.encode({
        resourceSpans: [
          {
            scopeSpans: SCOPES.map((name, s) => ({
              scope: { name },
              spans: spans.filter(x => x.scope === s).map(x => x.span),
            })),
          },
        ],
      })
      .finish();
  });

describe('the enricher and the reference enricher agree', () => {
  it.each(SETTINGS)('on random requests ($name)', setting => {
    fc.assert(
      fc.property(
        fc.array(requestBytes, { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat(2), { nil: undefined }),
        (bodies, redeliver) => {
          const sequence = [...bodies];
          const again = redeliver === undefined ? undefined : bodies[redeliver];
          if (again !== undefined) sequence.push(again);
          expectSame(setting, sequence);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each(SETTINGS)('on span trees ($name)', setting => {
    let calls = 0;
    fc.assert(
      fc.property(
        fc.array(treeRequest, { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat(2), { nil: undefined }),
        fc.constantFrom(1000, 70_000),
        (bodies, redeliver, step) => {
          const sequence = [...bodies];
          const again = redeliver === undefined ? undefined : bodies[redeliver];
          if (again !== undefined) sequence.push(again);
          calls += expectSame(setting, sequence, step);
        },
      ),
      { numRuns: 200 },
    );
    // The trees do price calls (the comparison is not of empty results).
    expect(calls).toBeGreaterThan(100);
  });

  describe('on batches of the real OTLP/protobuf exporter', () => {
    let sink: OtlpReceiver;
    beforeAll(async () => {
      sink = await startOtlpReceiver();
      const { provider } = scenarioProvider(
        new OTLPTraceExporter({ url: sink.url }),
      );
      emitScenario(scenarioTracers(provider));
      emitScenario(scenarioTracers(provider), 1);
      await provider.forceFlush();
      await provider.shutdown();
      const batched = new BasicTracerProvider({
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: sink.url }), {
            maxExportBatchSize: 1000,
          }),
        ],
      });
      const tracers = scenarioTracers(batched);
      for (let n = 0; n < 3; n++) {
        emitScenario(tracers, 10 + n);
        const root = tracers.app.startSpan('GET /', {
          attributes: { 'http.route': '/', 'user.id': `u-${n}` },
        });
        const parent = trace.setSpan(ROOT_CONTEXT, root);
        tracers.genai
          .startSpan(
            'chat gpt-4o',
            {
              attributes: {
                'gen_ai.operation.name': 'chat',
                'gen_ai.provider.name': 'openai',
                'gen_ai.request.model': 'gpt-4o',
                'gen_ai.usage.input_tokens': 100,
                'gen_ai.usage.output_tokens': 20,
              },
            },
            parent,
          )
          .end();
        root.end();
      }
      await batched.forceFlush();
      await batched.shutdown();
    });
    afterAll(async () => {
      await sink.close();
    });

    it.each(SETTINGS)('$name', setting => {
      const bodies = sink.accepted.map(request => request.body as Buffer);
      expect(bodies.length).toBeGreaterThan(4);
      const calls = expectSame(setting, [
        ...bodies,
        ...bodies,
        ...[...bodies].reverse(),
      ]);
      expect(calls).toBeGreaterThan(0);
    });
  });
});
