import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Keeps every exported span, also after shutdown (the examples shut their SDK down). */
export class KeepingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }

  /** Spans the cost processor evaluated (priced or not). */
  llmCalls(): ReadableSpan[] {
    return this.spans.filter(
      span => span.attributes['gen_ai.cost.source'] !== undefined,
    );
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
