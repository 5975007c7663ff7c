/** Hand-made OTLP/JSON trace requests, for cases real emitters rarely produce on demand. */
export interface JsonSpanSpec {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly scope?: string;
  /** Milliseconds after 2026-01-01T00:00:00Z. */
  readonly startMillis: number;
  readonly endMillis: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

const EPOCH_NANOS = 1_767_225_600_000_000_000n;

function anyValue(value: string | number | boolean): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value)
    ? { intValue: String(value) }
    : { doubleValue: value };
}

/** One ResourceSpans; spans grouped by scope in the order given. */
export function otlpJson(spans: readonly JsonSpanSpec[]): Buffer {
  const scopes = new Map<string, Record<string, unknown>[]>();
  for (const spec of spans) {
    const scope = spec.scope ?? 'test';
    const list = scopes.get(scope) ?? [];
    list.push({
      traceId: spec.traceId,
      spanId: spec.spanId,
      parentSpanId: spec.parentSpanId ?? '',
      name: spec.name,
      kind: 1,
      startTimeUnixNano: String(
        EPOCH_NANOS + BigInt(spec.startMillis) * 1_000_000n,
      ),
      endTimeUnixNano: String(
        EPOCH_NANOS + BigInt(spec.endMillis) * 1_000_000n,
      ),
      attributes: Object.entries(spec.attributes).map(([key, value]) => ({
        key,
        value: anyValue(value),
      })),
    });
    scopes.set(scope, list);
  }
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'py-agent' } },
            ],
          },
          scopeSpans: [...scopes].map(([name, list]) => ({
            scope: { name },
            spans: list,
          })),
        },
      ],
    }),
  );
}

/** GenAI chat attributes for gpt-4o-mini with the given usage. */
export function chatAttributes(
  input: number,
  output: number,
): Record<string, string | number> {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
