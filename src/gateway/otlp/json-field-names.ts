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

// Every JSON name the schema knows, in any message.
const SCHEMA_NAMES = new Set(
  FIELDS_BY_NAME.flatMap(byName => [...byName.keys()]),
);

/** The keys a field is read under: its JSON name, and its proto name when that differs. */
export interface JsonKey {
  readonly name: string;
  readonly proto: string | undefined;
}

/**
 * The `JsonKey` of each of the given JSON names (each must be a field of the
 * schema, so the reader and the bound know the same keys): built once, at
 * load, for the readers of `json-values.ts`.
 */
export function jsonKeys<const Name extends string>(
  names: readonly Name[],
): Readonly<Record<Name, JsonKey>> {
  const keys = {} as Record<Name, JsonKey>;
  for (const name of names) {
    if (!SCHEMA_NAMES.has(name)) {
      throw new Error(`${name} is not an OTLP/JSON field name of the schema`);
    }
    const proto = protoFieldName(name);
    keys[name] = { name, proto: proto === name ? undefined : proto };
  }
  return keys;
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
