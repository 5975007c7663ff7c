/**
 * Heap the gateway's exactly-once memory keeps per remembered trace and per
 * remembered LLM span (the trace's engine, its decisions and what was
 * counted), measured, not estimated:
 *
 *   node --expose-gc --import tsx bench/gateway-trace-memory.ts
 *   npx tsx bench/gateway-trace-memory.ts        (gc enabled at runtime)
 *
 * Many traces of 1, 5 and 50 GenAI chat calls (response id, user and
 * session on each call) are priced through `RequestEnricher` in requests of
 * about 500 spans, then committed (counted); the heap retained by the
 * enricher after a full collection, divided by the traces, is fitted as
 * `perTrace + perLlmSpan * spans`. Three shapes: the calls alone (their
 * parent, an agent span, not delivered, so each trace also holds a coverage
 * mark), the calls with their parent in the same request, and the
 * costliest an LLM span can be (the longest response id and scope name the
 * memory keeps, one scope per call).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCostPipeline } from '../src/pipeline/cost-pipeline.js';
import { decodeExportTraceRequest } from '../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../src/gateway/otlp/encode-export-trace-request.js';
import { scanExportTraceRequest } from '../src/gateway/otlp/scan-export-trace-request.js';
import type { ScannedRequest } from '../src/gateway/otlp/scanned-request.js';
import { RequestEnricher } from '../src/gateway/pipeline/request-enricher.js';
import { gcVia, heapUsedAfterGc } from './harness/memory.js';

const SPANS_PER_REQUEST = 500;
const EPOCH_NANOS = 1_767_225_600_000_000_000n;

interface Shape {
  readonly llmSpans: number;
  readonly withParent: boolean;
  /**
   * Every call with a 256-character response id and its own 256-character
   * scope name, the longest the duplicate-response memory keeps: the most
   * an LLM span can cost.
   */
  readonly longest?: boolean;
}

type JsonSpan = Record<string, unknown> & { scope: string };

const hex = (value: number, bytes: number): string =>
  value.toString(16).padStart(bytes * 2, '0');

function span(
  trace: number,
  id: number,
  parent: number | undefined,
  attributes: Record<string, string | number>,
  name: string,
  scope = 'bench',
): JsonSpan {
  const start = EPOCH_NANOS + BigInt(trace) * 1_000_000_000n;
  return {
    scope,
    traceId: hex(trace + 1, 16),
    spanId: hex(id + 1, 8),
    parentSpanId: parent === undefined ? '' : hex(parent + 1, 8),
    name,
    kind: 3,
    startTimeUnixNano: String(start + BigInt(id) * 1000n),
    endTimeUnixNano: String(start + BigInt(id) * 1000n + 500_000_000n),
    attributes: Object.entries(attributes).map(([key, value]) => ({
      key,
      value:
        typeof value === 'string'
          ? { stringValue: value }
          : { intValue: String(value) },
    })),
  };
}

function traceSpans(trace: number, shape: Shape): JsonSpan[] {
  const parentId = trace * 1000;
  const spans = [];
  for (let i = 1; i <= shape.llmSpans; i++) {
    const responseId = `chatcmpl-${trace}-${i}`;
    const long = (text: string): string => text.padEnd(256, '-');
    spans.push(
      span(
        trace,
        parentId + i,
        parentId,
        {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.response.id': shape.longest ? long(responseId) : responseId,
          'gen_ai.usage.input_tokens': 1000 + i,
          'gen_ai.usage.output_tokens': 200,
          'user.id': `user-${trace % 977}`,
          'session.id': `session-${trace}`,
        },
        'chat gpt-4o-mini',
        shape.longest ? long(`scope-${trace}-${i}`) : 'bench',
      ),
    );
  }
  if (shape.withParent) {
    spans.push(
      span(
        trace,
        parentId,
        undefined,
        { 'gen_ai.operation.name': 'invoke_agent' },
        'invoke_agent',
      ),
    );
  }
  return spans;
}

function request(spans: JsonSpan[]): ScannedRequest {
  const scopes = new Map<string, Record<string, unknown>[]>();
  for (const { scope, ...span } of spans) {
    const list = scopes.get(scope) ?? [];
    list.push(span);
    scopes.set(scope, list);
  }
  const json = JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'x' } }],
        },
        scopeSpans: [...scopes].map(([name, list]) => ({
          scope: { name },
          spans: list,
        })),
      },
    ],
  });
  return scanExportTraceRequest(
    encodeExportTraceRequest(
      decodeExportTraceRequest(Buffer.from(json), 'json'),
    ),
  );
}

function newEnricher(): RequestEnricher {
  return new RequestEnricher({
    pipeline: createCostPipeline(),
    traceWindowMillis: 3_600_000,
    maxTraces: 1_000_000,
    maxLlmSpans: 10_000_000,
  });
}

/** Bytes retained per trace of this shape. */
function measure(shape: Shape, traces: number): number {
  const enricher = newEnricher();
  // Warm up (price table, memoized routes, hidden classes) on other traces.
  for (let t = 0; t < 50; t++) {
    const scanned = request(traceSpans(10_000_000 + t, shape));
    enricher.commit(enricher.enrich(scanned, 0).calls);
  }
  const before = heapUsedAfterGc();
  let batch: JsonSpan[] = [];
  const flush = (): void => {
    const result = enricher.enrich(request(batch), 0);
    enricher.commit(result.calls);
    batch = [];
  };
  for (let t = 0; t < traces; t++) {
    batch.push(...traceSpans(t, shape));
    if (batch.length >= SPANS_PER_REQUEST) flush();
  }
  if (batch.length > 0) flush();
  const after = heapUsedAfterGc();
  if (enricher.traces.tracked !== traces + 50) {
    throw new Error(
      `expected ${traces + 50} traces, got ${enricher.traces.tracked}`,
    );
  }
  return (after - before) / traces;
}

function fit(points: readonly (readonly [number, number])[]): {
  perTrace: number;
  perSpan: number;
} {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const perSpan = sxy / sxx;
  return { perTrace: my - perSpan * mx, perSpan };
}

const SIZES: readonly (readonly [number, number])[] = [
  [1, 40_000],
  [5, 10_000],
  [50, 1_000],
];

/** One measurement per child process, so nothing of one run stays for the next. */
function measureInChild(shape: Shape, traces: number): number {
  const output = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      'one',
      JSON.stringify(shape),
      String(traces),
    ],
    { encoding: 'utf8' },
  );
  return Number(output.trim().split('\n').at(-1));
}

const VARIANTS: readonly (readonly [string, Omit<Shape, 'llmSpans'>])[] = [
  ['calls alone', { withParent: false }],
  ['calls + parent', { withParent: true }],
  ['longest ids', { withParent: false, longest: true }],
];

if (process.argv[2] === 'one') {
  const shape = JSON.parse(process.argv[3] ?? '{}') as Shape;
  console.log(measure(shape, Number(process.argv[4])));
} else {
  console.log(`gc: ${gcVia}; node ${process.version}`);
  for (const [label, variant] of VARIANTS) {
    const points: [number, number][] = [];
    for (const [llmSpans, traces] of SIZES) {
      const perTrace = measureInChild({ ...variant, llmSpans }, traces);
      points.push([llmSpans, perTrace]);
      console.log(
        `${label.padEnd(14)} ${String(llmSpans).padStart(2)} LLM span(s)/trace x ${traces} traces: ${Math.round(perTrace)} B per trace`,
      );
    }
    const { perTrace, perSpan } = fit(points);
    console.log(
      `  fit: ${Math.round(perTrace)} B per trace + ${Math.round(perSpan)} B per LLM span`,
    );
  }
}
