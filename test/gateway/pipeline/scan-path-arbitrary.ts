/**
 * Random OTLP/protobuf trace requests for the scan path's parity test:
 * span trees of a few traces whose spans carry GenAI, AI SDK,
 * OpenInference, Langfuse and Traceloop markers, identity attributes
 * (e-mail addresses, JSON bags, on LLM spans and on their non-LLM
 * ancestors) and plain attributes, with values of every kind. Ids come
 * from small pools, so spans are redelivered and ids reused across
 * requests; some are invalid. Spans are encoded by protobufjs (the
 * vendored protos); requests are assembled field by field, so they also
 * hold unknown fields, empty resources and scopes, and `ResourceSpans`
 * field 1000 (`deprecated_scope_spans`).
 */
import fc from 'fast-check';
import { otlpMessageTypes } from '../../../src/gateway/otlp/otlp-message-types.js';
import { ld, varint } from '../helpers/hostile-bodies.js';

const EMAIL = 'alice@example.com';

const text = fc.oneof(
  fc.constantFrom('', 'gpt-4o', 'gpt-4o-mini', 'openai', 'anthropic', EMAIL),
  fc.string({ maxLength: 6 }),
);
const tokens = fc.oneof(fc.nat({ max: 5000 }), fc.constant(-1));
const scalar = fc.oneof(
  fc.record({ stringValue: text }),
  fc.record({ intValue: tokens }),
  fc.record({ doubleValue: fc.constantFrom(0.5, 120, Number.NaN) }),
  fc.record({ boolValue: fc.boolean() }),
);
const anyValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  {
    weight: 1,
    arbitrary: fc.record({
      arrayValue: fc.record({ values: fc.array(scalar, { maxLength: 3 }) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: text, value: scalar }), {
          maxLength: 2,
        }),
      }),
    }),
  },
);

/** Keys with the values they are usually given (and sometimes any value). */
const str = (...values: string[]) =>
  fc.constantFrom(...values).map(stringValue => ({ stringValue }));
const int = tokens.map(intValue => ({ intValue }));
const typed: readonly (readonly [string, fc.Arbitrary<object>])[] = [
  ['gen_ai.operation.name', str('chat', 'invoke_agent', 'embeddings', 'task')],
  ['gen_ai.provider.name', str('openai', 'anthropic', 'aws.bedrock')],
  ['gen_ai.system', str('openai')],
  ['gen_ai.request.model', str('gpt-4o', 'gpt-4o-mini', 'no-such-model')],
  ['gen_ai.response.model', str('gpt-4o-2024-08-06')],
  ['gen_ai.response.id', str('resp-1', 'resp-2')],
  ['gen_ai.usage.input_tokens', int],
  ['gen_ai.usage.output_tokens', int],
  ['gen_ai.usage.cache_read.input_tokens', int],
  ['gen_ai.usage.cost', fc.constant({ doubleValue: 0.01 })],
  ['gen_ai.cost.source', str('gateway', 'provider')],
  ['gen_ai.conversation.id', str('conv-1', EMAIL)],
  ['ai.operationId', str('ai.generateText.doGenerate', 'ai.generateText')],
  ['ai.model.id', str('gpt-4o-mini')],
  ['ai.model.provider', str('openai.chat')],
  ['ai.usage.promptTokens', int],
  ['ai.usage.completionTokens', int],
  ['ai.telemetry.metadata.userId', str('u-1', EMAIL)],
  ['ai.settings.context.tenantId', str('t-1')],
  ['openinference.span.kind', str('LLM', 'CHAIN', 'embedding')],
  ['llm.model_name', str('gpt-4o')],
  ['llm.provider', str('openai')],
  ['llm.token_count.prompt', int],
  ['llm.token_count.completion', int],
  ['metadata', str('{"user_id":"u-2"}', `{"email":"${EMAIL}"}`, '{')],
  ['langfuse.observation.type', str('generation', 'span')],
  ['langfuse.observation.model.name', str('gpt-4o-mini')],
  ['langfuse.observation.usage_details', str('{"input":10,"output":5}')],
  [
    'langfuse.trace.tags',
    fc.constant({ arrayValue: { values: [{ stringValue: EMAIL }] } }),
  ],
  ['langfuse.user.id', str('lf-user')],
  ['traceloop.association.properties.user_id', str('tl-user', EMAIL)],
  ['user.id', str('u-3', EMAIL)],
  ['session.id', str('s-1')],
  ['enduser.id', str(EMAIL)],
  ['tenant.id', str('acme')],
  ['app.tag.team', str('search')],
  ['http.route', str('/chat')],
  ['http.request.method', str('POST')],
  ['server.address', str('api.openai.com')],
  ['db.system.name', str('postgresql')],
  ['url.full', str(`https://x.example/?u=${EMAIL}`)],
];

const keyValue = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...typed).chain(([key, value]) =>
      fc.record({
        key: fc.constant(key),
        value: fc.oneof({ weight: 4, arbitrary: value }, anyValue),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ key: text, value: anyValue }) },
);

const TRACE_IDS = ['5a', '6b', '7c'].map(hex =>
  Buffer.from(hex.repeat(16), 'hex'),
);
const SPAN_IDS = Array.from({ length: 12 }, (_, i) =>
  Buffer.from((i + 1).toString(16).padStart(2, '0').repeat(8), 'hex'),
);
const INVALID_IDS = [Buffer.alloc(8), Buffer.alloc(3, 1)];

const SCOPES = [
  '',
  'gateway-test',
  '@opentelemetry/instrumentation-openai',
  'ai',
  '@arizeai/openinference-instrumentation-openai',
  'langfuse-sdk',
  '@opentelemetry/instrumentation-http',
];

/** A field no vendored message defines (number 99, varint 42). */
const UNKNOWN_FIELD = Buffer.from([0x98, 0x06, 0x2a]);

const span = fc.record({
  trace: fc.nat(TRACE_IDS.length - 1),
  id: fc.oneof(
    { weight: 12, arbitrary: fc.nat(SPAN_IDS.length - 1) },
    { weight: 1, arbitrary: fc.constantFrom(-1, -2) },
  ),
  parent: fc.option(fc.nat(SPAN_IDS.length - 1), { nil: undefined }),
  name: fc.constantFrom('chat gpt-4o', 'POST /chat', 'invoke_agent', 'SELECT'),
  kind: fc.nat(5),
  start: fc.nat(1000),
  duration: fc.nat(1000),
  attributes: fc.array(keyValue, { maxLength: 7 }),
  events: fc.array(
    fc.record({
      name: fc.constantFrom('e'),
      attributes: fc.array(keyValue, { maxLength: 2 }),
    }),
    { maxLength: 1 },
  ),
  unknown: fc.boolean(),
});
type SpanSpec = typeof span extends fc.Arbitrary<infer T> ? T : never;

function spanBytes(spec: SpanSpec): Buffer {
  const id = spec.id >= 0 ? SPAN_IDS[spec.id] : INVALID_IDS[-spec.id - 1];
  const message = {
    traceId: TRACE_IDS[spec.trace],
    spanId: id,
    parentSpanId: spec.parent === undefined ? undefined : SPAN_IDS[spec.parent],
    name: spec.name,
    kind: spec.kind,
    startTimeUnixNano: String(
      1_700_000_000_000_000_000n + BigInt(spec.start) * 1000n,
    ),
    endTimeUnixNano: String(
      1_700_000_000_000_000_000n + BigInt(spec.start + spec.duration) * 1000n,
    ),
    attributes: spec.attributes,
    events: spec.events.map(e => ({ ...e, timeUnixNano: '1' })),
  };
  const bytes = Buffer.from(otlpMessageTypes().span.encode(message).finish());
  return spec.unknown ? Buffer.concat([bytes, UNKNOWN_FIELD]) : bytes;
}

const scopeSpans = fc.record({
  scope: fc.option(fc.constantFrom(...SCOPES), { nil: undefined }),
  spans: fc.array(span, { maxLength: 4 }),
  unknown: fc.boolean(),
});
const resourceSpans = fc.record({
  serviceName: fc.option(fc.constantFrom('svc', EMAIL), { nil: undefined }),
  scopes: fc.array(scopeSpans, { maxLength: 3 }),
  /** Scopes in field 1000 (`deprecated_scope_spans`). */
  deprecated: fc.array(scopeSpans, { maxLength: 1 }),
});

function scopeBytes(
  scope: typeof scopeSpans extends fc.Arbitrary<infer T> ? T : never,
): Buffer {
  return Buffer.concat([
    ...(scope.scope === undefined
      ? []
      : [
          ld(
            0x0a,
            Buffer.from(
              otlpMessageTypes()
                .scope.encode({ name: scope.scope, version: '1' })
                .finish(),
            ),
          ),
        ]),
    ...scope.spans.map(s => ld(0x12, spanBytes(s))),
    ...(scope.unknown ? [UNKNOWN_FIELD] : []),
  ]);
}

/** One request's protobuf bytes. */
export const requestBytes = fc
  .record({
    resources: fc.array(resourceSpans, { maxLength: 3 }),
    unknown: fc.boolean(),
  })
  .map(({ resources, unknown }) =>
    Buffer.concat([
      ...resources.map(resource =>
        ld(
          0x0a,
          ...(resource.serviceName === undefined
            ? []
            : [
                ld(
                  0x0a,
                  Buffer.from(
                    otlpMessageTypes()
                      .resource.encode({
                        attributes: [
                          {
                            key: 'service.name',
                            value: { stringValue: resource.serviceName },
                          },
                        ],
                      })
                      .finish(),
                  ),
                ),
              ]),
          ...resource.scopes.map(scope => ld(0x12, scopeBytes(scope))),
          ...resource.deprecated.map(scope =>
            Buffer.concat([
              varint((1000 << 3) | 2),
              varint(scopeBytes(scope).length),
              scopeBytes(scope),
            ]),
          ),
        ),
      ),
      ...(unknown ? [UNKNOWN_FIELD] : []),
    ]),
  );
