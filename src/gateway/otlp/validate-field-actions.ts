import {
  FIELDS_BY_NUMBER,
  type FieldSpec,
  MAX_KNOWN_FIELD_NUMBER,
  type MessageKind,
  MESSAGE_NAMES,
  WireType,
} from './otlp-wire-schema.js';

/**
 * What the protobuf validation does with a field, by its message and tag
 * (from the wire schema): skip a varint, 8 or 4 bytes, or a
 * length-delimited value (counted as an item if the field repeats), or
 * enter a message (`Message + kind`). `Checked`: the field is invalid (field
 * number 0, an invalid wire type, a known field with the wrong one), or its
 * tag is not in `FIELD_ACTIONS`: the walk looks again and gives the error.
 */
export const Action = {
  Checked: 0,
  Varint: 1,
  Fixed64: 2,
  Fixed32: 3,
  Bytes: 4,
  RepeatedBytes: 5,
  Message: 8,
} as const;

/** The action of a valid field of `kind`, or `Checked` if it is invalid. */
export function fieldAction(
  kind: MessageKind,
  fieldNumber: number,
  wireType: number,
): number {
  if (fieldNumber === 0) return Action.Checked;
  const spec: FieldSpec | undefined =
    fieldNumber <= MAX_KNOWN_FIELD_NUMBER
      ? FIELDS_BY_NUMBER[kind]?.[fieldNumber]
      : undefined;
  if (spec !== undefined && spec.wireType !== wireType) return Action.Checked;
  switch (wireType) {
    case WireType.Varint:
      return Action.Varint;
    case WireType.Fixed64:
      return Action.Fixed64;
    case WireType.Fixed32:
      return Action.Fixed32;
    case WireType.Len:
      if (spec?.message !== undefined) return Action.Message + spec.message;
      return spec?.repeated === true ? Action.RepeatedBytes : Action.Bytes;
    default:
      return Action.Checked;
  }
}

/**
 * Actions by `(kind << 8) | tag` for tags below 256 (field numbers 1 to
 * 31). A tag below 128 is its one byte; a tag from 128 to 255 is two
 * bytes, the first being the tag itself (with its high bit) and the second
 * 0x01, so a walk reads it at `(kind << 8) | firstByte`.
 */
export const FIELD_ACTIONS: Uint8Array = ((): Uint8Array => {
  const actions = new Uint8Array(MESSAGE_NAMES.length << 8);
  for (let kind = 0; kind < MESSAGE_NAMES.length; kind++) {
    for (let tag = 0; tag < 0x100; tag++) {
      actions[(kind << 8) | tag] = fieldAction(
        kind as MessageKind,
        tag >> 3,
        tag & 7,
      );
    }
  }
  return actions;
})();
