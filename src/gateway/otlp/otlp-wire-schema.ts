/**
 * The OTLP trace request's message tree as the bounded decoders walk it:
 * for each message, its fields by number (protobuf) and by name (OTLP/JSON),
 * with the wire type each must use and the message it holds. Only what the
 * limits need: which fields are messages, which repeat, which are the
 * nesting values (`ArrayValue`, `KeyValueList`) and which are spans. Kept in
 * step with the vendored descriptor by `test/gateway/otlp/wire-schema.test.ts`.
 */
export const MessageKind = {
  Request: 0,
  ResourceSpans: 1,
  Resource: 2,
  EntityRef: 3,
  ScopeSpans: 4,
  Scope: 5,
  Span: 6,
  Event: 7,
  Link: 8,
  Status: 9,
  KeyValue: 10,
  AnyValue: 11,
  ArrayValue: 12,
  KeyValueList: 13,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** Protobuf wire types the schema uses. */
export const WireType = { Varint: 0, Fixed64: 1, Len: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface FieldSpec {
  readonly number: number;
  /** The OTLP/JSON (lowerCamelCase) name. */
  readonly name: string;
  readonly wireType: WireType;
  /** The message this field holds, if it is a message field. */
  readonly message?: MessageKind;
  readonly repeated: boolean;
}

const v = (number: number, name: string): FieldSpec => ({
  number,
  name,
  wireType: WireType.Varint,
  repeated: false,
});
const f64 = (number: number, name: string): FieldSpec => ({
  number,
  name,
  wireType: WireType.Fixed64,
  repeated: false,
});
const f32 = (number: number, name: string): FieldSpec => ({
  number,
  name,
  wireType: WireType.Fixed32,
  repeated: false,
});
const text = (number: number, name: string, repeated = false): FieldSpec => ({
  number,
  name,
  wireType: WireType.Len,
  repeated,
});
const one = (
  number: number,
  name: string,
  message: MessageKind,
): FieldSpec => ({
  number,
  name,
  wireType: WireType.Len,
  message,
  repeated: false,
});
const many = (
  number: number,
  name: string,
  message: MessageKind,
): FieldSpec => ({
  number,
  name,
  wireType: WireType.Len,
  message,
  repeated: true,
});

/** `ResourceSpans.deprecated_scope_spans` (was `instrumentation_library_spans`). */
export const DEPRECATED_SCOPE_SPANS_FIELD = 1000;

// In MessageKind order: the arrays below are indexed by kind.
const FIELDS: Readonly<Record<MessageKind, readonly FieldSpec[]>> = {
  [MessageKind.Request]: [many(1, 'resourceSpans', MessageKind.ResourceSpans)],
  [MessageKind.ResourceSpans]: [
    one(1, 'resource', MessageKind.Resource),
    many(2, 'scopeSpans', MessageKind.ScopeSpans),
    text(3, 'schemaUrl'),
  ],
  [MessageKind.Resource]: [
    many(1, 'attributes', MessageKind.KeyValue),
    v(2, 'droppedAttributesCount'),
    many(3, 'entityRefs', MessageKind.EntityRef),
  ],
  [MessageKind.EntityRef]: [
    text(1, 'schemaUrl'),
    text(2, 'type'),
    text(3, 'idKeys', true),
    text(4, 'descriptionKeys', true),
  ],
  [MessageKind.ScopeSpans]: [
    one(1, 'scope', MessageKind.Scope),
    many(2, 'spans', MessageKind.Span),
    text(3, 'schemaUrl'),
  ],
  [MessageKind.Scope]: [
    text(1, 'name'),
    text(2, 'version'),
    many(3, 'attributes', MessageKind.KeyValue),
    v(4, 'droppedAttributesCount'),
  ],
  [MessageKind.Span]: [
    text(1, 'traceId'),
    text(2, 'spanId'),
    text(3, 'traceState'),
    text(4, 'parentSpanId'),
    text(5, 'name'),
    v(6, 'kind'),
    f64(7, 'startTimeUnixNano'),
    f64(8, 'endTimeUnixNano'),
    many(9, 'attributes', MessageKind.KeyValue),
    v(10, 'droppedAttributesCount'),
    many(11, 'events', MessageKind.Event),
    v(12, 'droppedEventsCount'),
    many(13, 'links', MessageKind.Link),
    v(14, 'droppedLinksCount'),
    one(15, 'status', MessageKind.Status),
    f32(16, 'flags'),
  ],
  [MessageKind.Event]: [
    f64(1, 'timeUnixNano'),
    text(2, 'name'),
    many(3, 'attributes', MessageKind.KeyValue),
    v(4, 'droppedAttributesCount'),
  ],
  [MessageKind.Link]: [
    text(1, 'traceId'),
    text(2, 'spanId'),
    text(3, 'traceState'),
    many(4, 'attributes', MessageKind.KeyValue),
    v(5, 'droppedAttributesCount'),
    f32(6, 'flags'),
  ],
  [MessageKind.Status]: [text(2, 'message'), v(3, 'code')],
  [MessageKind.KeyValue]: [
    text(1, 'key'),
    one(2, 'value', MessageKind.AnyValue),
  ],
  [MessageKind.AnyValue]: [
    text(1, 'stringValue'),
    v(2, 'boolValue'),
    v(3, 'intValue'),
    f64(4, 'doubleValue'),
    one(5, 'arrayValue', MessageKind.ArrayValue),
    one(6, 'kvlistValue', MessageKind.KeyValueList),
    text(7, 'bytesValue'),
  ],
  [MessageKind.ArrayValue]: [many(1, 'values', MessageKind.AnyValue)],
  [MessageKind.KeyValueList]: [many(1, 'values', MessageKind.KeyValue)],
};

/**
 * Fields the vendored (v1) protos no longer have but senders and next hops
 * still know, read like the fields they stand for (see
 * `deprecated-scope-spans.ts`): `ResourceSpans` field 1000, which
 * opentelemetry-proto v0.15 to v0.18 called `instrumentation_library_spans`
 * (OTLP/JSON `instrumentationLibrarySpans`, an `InstrumentationLibrarySpans`:
 * the same fields as `ScopeSpans`, with `instrumentation_library` where
 * `scope` is) and the Collector still decodes as `deprecated_scope_spans`,
 * moving it into `scope_spans` when those are empty. In JSON its scope is
 * `instrumentationLibrary`. No other field of the trace request was
 * deprecated and is still read by the Collector.
 */
const DEPRECATED_FIELDS: Readonly<
  Partial<Record<MessageKind, readonly FieldSpec[]>>
> = {
  [MessageKind.ResourceSpans]: [
    many(
      DEPRECATED_SCOPE_SPANS_FIELD,
      'instrumentationLibrarySpans',
      MessageKind.ScopeSpans,
    ),
  ],
};

/** JSON-only names of v1 fields, from the deprecated messages above. */
const JSON_ALIASES: Readonly<
  Partial<Record<MessageKind, readonly FieldSpec[]>>
> = {
  [MessageKind.ScopeSpans]: [
    one(1, 'instrumentationLibrary', MessageKind.Scope),
  ],
};

/** Fields of each message by number (sparse arrays; numbers <= 16, and 1000). */
export const FIELDS_BY_NUMBER: readonly (readonly (FieldSpec | undefined)[])[] =
  Object.entries(FIELDS).map(([kind, fields]) => {
    const byNumber: (FieldSpec | undefined)[] = [];
    for (const spec of [
      ...fields,
      ...deprecatedFieldsOf(Number(kind) as MessageKind),
    ]) {
      byNumber[spec.number] = spec;
    }
    return byNumber;
  });

/** Highest field number in `FIELDS_BY_NUMBER`. */
export const MAX_KNOWN_FIELD_NUMBER = DEPRECATED_SCOPE_SPANS_FIELD;

/** Fields of each message by OTLP/JSON name (deprecated names included). */
export const FIELDS_BY_NAME: readonly ReadonlyMap<string, FieldSpec>[] =
  Object.entries(FIELDS).map(([kind, fields]) => {
    const messageKind = Number(kind) as MessageKind;
    return new Map(
      [
        ...fields,
        ...deprecatedFieldsOf(messageKind),
        ...(JSON_ALIASES[messageKind] ?? []),
      ].map(spec => [spec.name, spec]),
    );
  });

/** The deprecated fields a message is still read with (see above). */
export function deprecatedFieldsOf(kind: MessageKind): readonly FieldSpec[] {
  return DEPRECATED_FIELDS[kind] ?? [];
}

/** All fields of a message, for the sync test. */
export function fieldsOf(kind: MessageKind): readonly FieldSpec[] {
  return FIELDS[kind];
}

/** `ArrayValue` and `KeyValueList`: each one nests values one level deeper. */
export function isNestingValue(kind: MessageKind | undefined): boolean {
  return kind === MessageKind.ArrayValue || kind === MessageKind.KeyValueList;
}

/** Message names by kind, for error messages. */
export const MESSAGE_NAMES: readonly string[] = Object.keys(MessageKind);
