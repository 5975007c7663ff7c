/**
 * Issue 15, item 2: the scan path (spans without a pipeline key are not
 * decoded, their bytes forwarded as received) against the full-decode
 * reference path (every span's attributes read, as before). The same
 * requests, in the same order, go through two gateways' enrichers that
 * differ only in how the scan reads spans; everything they give must be
 * the same: the forwarded bytes (so also what protobufjs decodes from
 * them), the evaluated calls and their records, rejected and duplicate
 * spans, unpriced calls, the identity budget, and what `commit` counts.
 * On random requests (span trees with markers of every family, identity
 * attributes on LLM spans and on their ancestors, unknown fields, empty
 * scopes, field 1000, reused and invalid ids, redeliveries, tight trace
 * and identity bounds) and on batches of the real OTLP/protobuf exporter.
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
import type { SpanAttributesRead } from '../../../src/gateway/otlp/read-otlp-span.js';
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
import { referenceDecode } from '../helpers/reference-decoder.js';
import { requestBytes } from './scan-path-arbitrary.js';

interface Setting {
  readonly name: string;
  readonly identity: PipelineConfig['identity'];
  readonly identityBudget?: { values: number; chars: number; nodes: number };
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
    name: 'secret, aliases, tight bounds',
    identity: {
      policy: { hmacSecret: 'parity-secret', tagKeys: ['team'] },
      aliases: new Set(['langfuse', 'openinference']),
    },
    identityBudget: { values: 3, chars: 40, nodes: 6 },
    maxTraces: 2,
    maxSpansPerTrace: 3,
    maxLlmSpans: 4,
  },
];

/** Two gateways' enrichers, alike but for how the scan reads spans. */
function twoPaths(setting: Setting) {
  const enricher = (): RequestEnricher =>
    new RequestEnricher({
      pipeline: createCostPipeline({
        overrides: [],
        maxTrackedSpans: 8,
        sinks: [],
        identity: setting.identity,
        rewriteAllSources: true,
      }),
      traceWindowMillis: 60_000,
      maxTraces: setting.maxTraces,
      maxSpansPerTrace: setting.maxSpansPerTrace,
      maxLlmSpans: setting.maxLlmSpans,
      identityBudget: setting.identityBudget,
    });
  return { all: enricher(), 'if-marked': enricher() };
}

function run(
  enricher: RequestEnricher,
  body: Uint8Array,
  read: SpanAttributesRead,
  nowMillis: number,
) {
  const scanned = scanExportTraceRequest(body, DEFAULT_DECODE_LIMITS, read);
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

/** Both paths over the same requests; every output compared. */
function expectSamePaths(setting: Setting, bodies: readonly Uint8Array[]) {
  const paths = twoPaths(setting);
  let spansDecodedLazily = 0;
  bodies.forEach((body, index) => {
    const now = 1_700_000_000_000 + index * 1000;
    const reference = run(paths.all, body, 'all', now);
    const scan = run(paths['if-marked'], body, 'if-marked', now);
    expect(comparable(scan.result)).toEqual(comparable(reference.result));
    expect(scan.counted).toEqual(reference.counted);
    if (!scan.forwarded.equals(reference.forwarded)) {
      // The readable difference, as protobufjs decodes both.
      expect(referenceDecode(scan.forwarded)).toEqual(
        referenceDecode(reference.forwarded),
      );
    }
    expect(scan.forwarded.equals(reference.forwarded)).toBe(true);
    spansDecodedLazily += scan.result.spans;
  });
  expect(paths.all.traces).toEqual(paths['if-marked'].traces);
  return spansDecodedLazily;
}

describe('the scan path and the full-decode path agree', () => {
  it.each(SETTINGS)('on random requests ($name)', setting => {
    fc.assert(
      fc.property(
        fc.array(requestBytes, { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat(2), { nil: undefined }),
        (bodies, redeliver) => {
          const sequence = [...bodies];
          const again = redeliver === undefined ? undefined : bodies[redeliver];
          if (again !== undefined) sequence.push(again);
          expectSamePaths(setting, sequence);
        },
      ),
      { numRuns: 150 },
    );
  });

  describe('on batches of the real OTLP/protobuf exporter', () => {
    let sink: OtlpReceiver;
    beforeAll(async () => {
      sink = await startOtlpReceiver();
      // One request per span (ancestors in other requests)...
      const { provider } = scenarioProvider(
        new OTLPTraceExporter({ url: sink.url }),
      );
      emitScenario(scenarioTracers(provider));
      emitScenario(scenarioTracers(provider), 1);
      await provider.forceFlush();
      await provider.shutdown();
      // ...and batches of whole traces, a user id on the HTTP server span.
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
          attributes: {
            'http.route': '/',
            'user.id': n === 0 ? 'alice@example.com' : `u-${n}`,
          },
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
        tracers.app
          .startSpan(
            'SELECT',
            { attributes: { 'db.system.name': 'pg' } },
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
      // In order, then all again (redelivered), then in reverse order.
      const spans = expectSamePaths(setting, [
        ...bodies,
        ...bodies,
        ...[...bodies].reverse(),
      ]);
      expect(spans).toBeGreaterThan(0);
      // The identity on the HTTP parent reached its chat call.
      const { all } = twoPaths(setting);
      const calls = bodies.flatMap(
        (body, i) => run(all, body, 'all', 1_700_000_000_000 + i).result.calls,
      );
      const fromParent = calls.filter(
        ({ record }) =>
          record.identity.source === 'ancestor' &&
          record.identity.userId !== undefined,
      );
      expect(fromParent.length).toBeGreaterThanOrEqual(3);
    });
  });
});

describe('the scan path decodes only the spans the pipeline reads', () => {
  const body = (attributes: Record<string, string>): Uint8Array =>
    otlpMessageTypes()
      .request.encode({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: Buffer.alloc(16, 1),
                    spanId: Buffer.alloc(8, 2),
                    name: 'span',
                    attributes: Object.entries(attributes).map(
                      ([key, stringValue]) => ({ key, value: { stringValue } }),
                    ),
                  },
                ],
              },
            ],
          },
        ],
      })
      .finish();
  // Attributes the scan read for the pipeline (straight into the record).
  const attributesRead = (attributes: Record<string, string>): number => {
    const scanned = scanExportTraceRequest(body(attributes)).resources[0]
      ?.scopes[0]?.spans[0];
    if (scanned === undefined) return -1;
    expect(scanned.span.attributes).toEqual([]);
    return Object.keys(scanned.attributes ?? {}).length;
  };

  it('leaves the attributes of a span without a pipeline key undecoded', () => {
    expect(
      attributesRead({ 'http.route': '/chat', 'url.full': 'https://x/' }),
    ).toBe(0);
    expect(
      attributesRead({ 'x.gen_ai.operation.name': 'x', 'users.id': 'u' }),
    ).toBe(0);
  });

  it.each([
    'gen_ai.operation.name',
    'ai.operationId',
    'openinference.span.kind',
    'llm.model_name',
    'langfuse.observation.type',
    'traceloop.span.kind',
    'user.id',
    'enduser.id',
    'session.id',
    'metadata',
    'tag.tags',
    'app.tag.team',
  ])('reads every attribute of a span with %s', key => {
    expect(attributesRead({ 'http.route': '/chat', [key]: 'v' })).toBe(2);
    expect(attributesRead({ [key]: 'v', 'http.route': '/chat' })).toBe(2);
  });
});
