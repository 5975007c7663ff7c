/**
 * The shapes of the tracing SDK objects this library touches, declared here
 * so that its published types import no SDK package: they are satisfied by
 * the types of `@opentelemetry/sdk-trace-base` 2.x and of
 * `@opentelemetry/sdk-trace` 3.x alike (which renamed the package), and a
 * `CostSpanProcessor` or `CostEnrichingSpanExporter` is accepted wherever
 * either line asks for a `SpanProcessor` or a `SpanExporter`. Only the
 * members we read or call are listed; SDK objects carry more, and an
 * exporter we wrap receives the SDK's full span objects (or full copies).
 * Checked against both lines by the type tests of `test/otel-v3/consumer`
 * and `test/package/consumer-types-sdk-lines.test.ts`.
 */
import type {
  Attributes,
  Context,
  HrTime,
  SpanContext,
} from '@opentelemetry/api';

/** What we read of a finished (or ending) SDK span: a `ReadableSpan`. */
export interface SdkReadableSpan {
  readonly name: string;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly attributes: Attributes;
  readonly instrumentationScope: { readonly name: string };
}

/**
 * A span still writable, as `onStart` and `onEnding` get it (the SDK's
 * `Span`, an API span that is also a `ReadableSpan`).
 */
export interface SdkSpan extends SdkReadableSpan {
  setAttributes(attributes: Attributes): unknown;
}

/** The outcome an exporter reports (`ExportResult` of `@opentelemetry/core`). */
export interface SdkExportResult {
  /** `ExportResultCode`: 0 success, 1 failure. */
  readonly code: number;
  readonly error?: Error;
}

/** A span exporter of either SDK line (`SpanExporter`). */
export interface SdkSpanExporter {
  export(
    spans: SdkReadableSpan[],
    resultCallback: (result: SdkExportResult) => void,
  ): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * A span processor of either SDK line (`SpanProcessor`). `onEnding` is
 * optional and experimental in the SDK (sdk-trace-base >= 2.3.0, unchanged
 * in sdk-trace 3.x): an SDK without it never calls it.
 */
export interface SdkSpanProcessor {
  onStart(span: SdkSpan, parentContext: Context): void;
  onEnding?(span: SdkSpan): void;
  onEnd(span: SdkReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
