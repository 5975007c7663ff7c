/**
 * A strict user project on OpenTelemetry JS 2.x (sdk-trace-base 2.12,
 * NodeSDK 0.223) type-checks against the built package with
 * `skipLibCheck: false`: the registration from our docs, and type tests
 * that our structural SDK types (`SdkSpanProcessor`, `SdkSpan`, ...) accept
 * the 2.x SDK's and the SDK accepts ours. The 3.x twin is
 * test/otel-v3/consumer/app.ts (`npm run test:otel-v3`). Runs against the
 * built package (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'otel-genai-cost-otel-v2-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP = `
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
} from '@opentelemetry/sdk-trace-base';
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

const processor: Typed<CostSpanProcessor> = new CostSpanProcessor();
export const sdk = new NodeSDK({
  sampler: new CostAwareSampler(
    new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }),
  ),
  spanProcessors: [
    processor,
    new BatchSpanProcessor(new CostEnrichingSpanExporter(new OTLPTraceExporter())),
  ],
});

export const asProcessor: SpanProcessor = processor;
export const asExporter: SpanExporter = new CostEnrichingSpanExporter(
  new InMemorySpanExporter(),
);
export const asSampler: Sampler = new CostAwareSampler(
  new TraceIdRatioBasedSampler(0.5),
);
export const onStart: (span: Span, parentContext: Context) => void =
  processor.onStart.bind(processor);
export const onEnding: (span: Span) => void = processor.onEnding.bind(processor);
export const onEnd: (span: ReadableSpan) => void = processor.onEnd.bind(processor);
const wrapper = new CostEnrichingSpanExporter(new InMemorySpanExporter());
export const exportSpans: (
  spans: ReadableSpan[],
  resultCallback: (result: ExportResult) => void,
) => void = wrapper.export.bind(wrapper);

declare const readable: ReadableSpan;
declare const writable: Span;
export const ourReadable: Typed<SdkReadableSpan> = readable;
export const ourSpan: Typed<SdkSpan> = writable;
export const ourExporter: Typed<SdkSpanExporter> = new OTLPTraceExporter();
export const ourProcessor: Typed<SdkSpanProcessor> = new SimpleSpanProcessor(
  new InMemorySpanExporter(),
);

const metrics = createPrometheusHandler();
export const meterProvider: MeterProvider = metrics.meterProvider;
export const reader: IMetricReader = metrics.exporter;
new CostSpanProcessor({ metrics: { meterProvider: metrics.meterProvider } });
`;

it('a strict 2.x project compiles with skipLibCheck: false (NodeSDK 0.223, sdk-trace-base 2.x)', () => {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'otel-genai-cost'), 'dir');
  symlinkSync(
    join(ROOT, 'node_modules', '@opentelemetry'),
    join(dir, 'node_modules', '@opentelemetry'),
    'dir',
  );
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'app.ts'), APP);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: ['app.ts'],
    }),
  );
  let output = '';
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir],
      { encoding: 'utf8', cwd: dir },
    );
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
});
