/**
 * Shared by the `record-*-spans.ts` scripts: a tracer provider that keeps
 * every finished span in end order, and the fixture format written to
 * `test/fixtures/emitters/<family>/<setup>.json`.
 *
 * The spans are the emitters' raw output (no `CostSpanProcessor` in the
 * provider), with real start/end times, ids, parentage, end order, and the
 * attributes each span had when it started (`attributesAtStart`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type {
  ReadableSpan,
  Span,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface RecordedSpan {
  readonly name: string;
  readonly scope: { readonly name: string; readonly version?: string };
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** Unix epoch nanoseconds, as a decimal string. */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  /** 0 for the first span to end. */
  readonly endOrder: number;
  readonly attributes: Record<string, unknown>;
  /** What the span carried when it started (what `onStart` saw). */
  readonly attributesAtStart: Record<string, unknown>;
}

export interface RecordedCall {
  /** What the fake server answered: the truth to price. */
  readonly responseId: string;
  readonly model: string;
  readonly usage: Record<string, number>;
}

export interface Recording {
  readonly setup: string;
  readonly description: string;
  readonly packages: Record<string, string>;
  readonly calls: readonly RecordedCall[];
  readonly spans: readonly RecordedSpan[];
}

export interface Recorder {
  readonly provider: NodeTracerProvider;
  finish(): Promise<RecordedSpan[]>;
}

export function startRecorder(): Recorder {
  const exporter = new InMemorySpanExporter();
  const atStart = new Map<string, Record<string, unknown>>();
  const snapshot: SpanProcessor = {
    onStart(span: Span) {
      atStart.set(span.spanContext().spanId, { ...span.attributes });
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new NodeTracerProvider({
    spanProcessors: [snapshot, new SimpleSpanProcessor(exporter)],
  });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    provider,
    async finish() {
      await provider.forceFlush();
      const spans = exporter
        .getFinishedSpans()
        .map((span, endOrder) =>
          toRecorded(
            span,
            endOrder,
            atStart.get(span.spanContext().spanId) ?? {},
          ),
        );
      await provider.shutdown();
      context.disable();
      return spans;
    },
  };
}

function nanos([seconds, nanoseconds]: [number, number]): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds)).toString();
}

function toRecorded(
  span: ReadableSpan,
  endOrder: number,
  attributesAtStart: Record<string, unknown>,
): RecordedSpan {
  const parent = span.parentSpanContext?.spanId;
  return {
    name: span.name,
    scope: {
      name: span.instrumentationScope.name,
      ...(span.instrumentationScope.version === undefined
        ? {}
        : { version: span.instrumentationScope.version }),
    },
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    ...(parent === undefined ? {} : { parentSpanId: parent }),
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    endOrder,
    attributes: { ...span.attributes },
    attributesAtStart,
  };
}

export function writeRecording(path: string, recording: Recording): void {
  writeFileSync(path, `${JSON.stringify(recording, null, 2)}\n`);
}

/** A package's installed version, read from `node_modules/<name>/package.json` (or a nested path). */
export function versionOf(packageDir: string): string {
  const json = JSON.parse(
    readFileSync(`${packageDir}/package.json`, 'utf8'),
  ) as { version: string };
  return json.version;
}
