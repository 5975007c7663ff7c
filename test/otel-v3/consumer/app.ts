/**
 * A user's strict TypeScript project on OpenTelemetry JS 3.x (compiled with
 * `skipLibCheck: false` by specs/consumer-types.spec.ts, never run): the
 * registration from our docs, and type tests that our published types
 * accept the 3.x SDK's and the SDK accepts ours. The 2.x twin is in
 * test/package/consumer-types-sdk-lines.test.ts.
 */
import type { Context, MeterProvider } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import {
  CostAwareSampler,
  CostEnrichingSpanExporter,
  CostSpanProcessor,
  type SdkReadableSpan,
  type SdkSpan,
  type SdkSpanExporter,
  type SdkSpanProcessor,
} from 'otel-genai-cost';
import { createPrometheusHandler } from 'otel-genai-cost/prometheus';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Typed<T> = IsAny<T> extends true ? never : T;

// The registration a 3.x user writes.
const processor: Typed<CostSpanProcessor> = new CostSpanProcessor();
export const sdk = new NodeSDK({
  sampler: new CostAwareSampler(
    new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }),
  ),
  spanProcessors: [
    processor,
    new BatchSpanProcessor({
      exporter: new CostEnrichingSpanExporter(new OTLPTraceExporter()),
    }),
  ],
});

// Ours where the SDK asks for its own types.
export const asProcessor: SpanProcessor = processor;
export const asExporter: SpanExporter = new CostEnrichingSpanExporter(
  new InMemorySpanExporter(),
);
export const asSampler: Sampler = new CostAwareSampler(
  new TraceIdRatioBasedSampler(0.5),
);
// Each hook checked strictly (a function type, not method bivariance).
export const onStart: (span: Span, parentContext: Context) => void =
  processor.onStart.bind(processor);
export const onEnding: (span: Span) => void =
  processor.onEnding.bind(processor);
export const onEnd: (span: ReadableSpan) => void =
  processor.onEnd.bind(processor);
const wrapper = new CostEnrichingSpanExporter(new InMemorySpanExporter());
export const exportSpans: (
  spans: ReadableSpan[],
  resultCallback: (result: ExportResult) => void,
) => void = wrapper.export.bind(wrapper);

// The SDK's where our types ask for theirs.
declare const readable: ReadableSpan;
declare const writable: Span;
export const ourReadable: Typed<SdkReadableSpan> = readable;
export const ourSpan: Typed<SdkSpan> = writable;
export const ourExporter: Typed<SdkSpanExporter> = new OTLPTraceExporter();
export const ourProcessor: Typed<SdkSpanProcessor> = new SimpleSpanProcessor({
  exporter: new InMemorySpanExporter(),
});

// Prometheus: a MeterProvider and a MetricReader of sdk-metrics 3.x.
const metrics = createPrometheusHandler();
export const meterProvider: MeterProvider = metrics.meterProvider;
export const reader: IMetricReader = metrics.exporter;
new CostSpanProcessor({ metrics: { meterProvider: metrics.meterProvider } });
