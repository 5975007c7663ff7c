/** A hand-made OTel GenAI chat span, for tests that need one priced call. */
import type { Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Starts and ends an OTel GenAI chat span (the contrib/AI SDK v7 shape). */
export function chatSpan(
  tracer: Tracer,
  options: {
    model?: string;
    input?: number;
    output?: number;
    attributes?: Record<string, string | number>;
  } = {},
): ReadableSpan {
  const model = options.model ?? 'gpt-4o-mini';
  const span = tracer.startSpan(`chat ${model}`, {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      ...options.attributes,
    },
  });
  span.setAttributes({
    'gen_ai.response.model': model,
    'gen_ai.usage.input_tokens': options.input ?? 1000,
    'gen_ai.usage.output_tokens': options.output ?? 100,
  });
  span.end();
  return span as unknown as ReadableSpan;
}

/** Attributes as a plain record, for assertions. */
export function attrs(span: ReadableSpan): Record<string, unknown> {
  return { ...span.attributes };
}
