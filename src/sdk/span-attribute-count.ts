/**
 * How many attributes an SDK span holds, when the SDK counts them
 * (`_attributesCount`, kept by sdk-trace-base 2.x and sdk-trace 3.x for
 * the attribute count limit); undefined when it does not. A hint for
 * choosing how to read the attributes, never for what they mean: a wrong
 * count changes the time spent, not the answer (`classifyPlainAttributes`).
 */
export function attributeCountOf(span: object): number | undefined {
  const count = (span as { readonly _attributesCount?: unknown })
    ._attributesCount;
  return typeof count === 'number' ? count : undefined;
}
