import { FIELDS_BY_NAME, type FieldSpec } from './otlp-wire-schema.js';

/**
 * The key spellings an OTLP/JSON field is read under: its lowerCamelCase
 * JSON name (what the OTLP spec asks senders to write) and its proto field
 * name (`resource_spans`, `start_time_unix_nano`, `string_value`), which
 * proto3 JSON parsers accept too and the OpenTelemetry Collector's pdata
 * reads since v0.51 (`case "scopeSpans", "scope_spans":`). A request in
 * either spelling, or a mix, reads the same; a key in neither is ignored.
 * When both spellings of one field are in one object the Collector reads
 * them in document order: a repeated field gets the elements of both, a
 * single value is the later one. `json-values.ts` applies that rule and
 * `bound-json-request.ts` counts by `JSON_FIELDS_BY_NAME`, so both paths
 * know the same keys.
 */

/** The proto (snake_case) name of a lowerCamelCase OTLP/JSON field name. */
export function protoFieldName(jsonName: string): string {
  return jsonName.replace(/[A-Z]/g, letter => `_${letter.toLowerCase()}`);
}

// Proto name by JSON name, for every field whose two names differ.
const PROTO_NAMES: Readonly<Record<string, string | undefined>> = (() => {
  const names: Record<string, string> = Object.create(null) as Record<
    string,
    string
  >;
  for (const byName of FIELDS_BY_NAME) {
    for (const name of byName.keys()) {
      const protoName = protoFieldName(name);
      if (protoName !== name) names[name] = protoName;
    }
  }
  return names;
})();

/** The proto spelling of a JSON field name, if it differs from it. */
export function otherSpelling(jsonName: string): string | undefined {
  return PROTO_NAMES[jsonName];
}

/** `FIELDS_BY_NAME` with each field also under its proto name. */
export const JSON_FIELDS_BY_NAME: readonly ReadonlyMap<string, FieldSpec>[] =
  FIELDS_BY_NAME.map(
    byName =>
      new Map([
        ...byName,
        ...[...byName].map(
          ([name, spec]) => [protoFieldName(name), spec] as const,
        ),
      ]),
  );
