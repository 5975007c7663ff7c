/**
 * Places an identity value can hide in span attributes, as fast-check
 * arbitraries, and a leak check that sees through JSON escapes. Shared by
 * the pseudonymization tests of the scrubber, the processor and the gateway.
 */
import fc from 'fast-check';

/** A JSON tree written as text by hand, so keys can repeat and chars be escaped. */
export type JsonTree =
  | { readonly obj: readonly (readonly [string, JsonTree])[] }
  | { readonly arr: readonly JsonTree[] }
  | { readonly str: string }
  | { readonly num: number };

export type Escape = 'none' | 'at' | 'all' | 'upper-hex';

/** JSON text for a tree; `escape` rewrites string characters as `\uXXXX`. */
export function jsonText(tree: JsonTree, escape: Escape): string {
  if ('obj' in tree) {
    const members = tree.obj.map(
      ([key, value]) => `${jsonString(key, escape)}:${jsonText(value, escape)}`,
    );
    return `{${members.join(',')}}`;
  }
  if ('arr' in tree) {
    return `[${tree.arr.map(item => jsonText(item, escape)).join(', ')}]`;
  }
  if ('num' in tree) return String(tree.num);
  return jsonString(tree.str, escape);
}

function jsonString(value: string, escape: Escape): string {
  const plain = JSON.stringify(value);
  const body = plain.slice(1, -1);
  if (escape === 'none') return plain;
  if (escape === 'at') return `"${body.replaceAll('@', '\\u0040')}"`;
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0xffff) {
      out += char;
      continue;
    }
    const hex = code.toString(16).padStart(4, '0');
    out += `\\u${escape === 'upper-hex' ? hex.toUpperCase() : hex}`;
  }
  return `"${out}"`;
}

/** Undoes `\uXXXX` escapes (also doubly escaped ones) so a leak check sees the text. */
export function unescapeAll(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round += 1) {
    const next = current.replace(/\\+u([0-9a-fA-F]{4})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The raw values (compared case-insensitively, escapes undone) found in `output`. */
export function leaks(output: string, raws: readonly string[]): string[] {
  const haystack = unescapeAll(output).toLowerCase();
  return raws.filter(raw => haystack.includes(raw.toLowerCase()));
}

/** An e-mail address with its letters in random case. */
export const emailArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.emailAddress(),
    fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  )
  .map(([email, upper]) =>
    [...email]
      .map((char, i) => (upper[i % upper.length] ? char.toUpperCase() : char))
      .join(''),
  )
  // A leak check needs a value that cannot appear by chance.
  .filter(email => email.length >= 8);

/** A raw user id that is not an e-mail and cannot appear by chance. */
export const rawIdArb: fc.Arbitrary<string> = fc
  .stringMatching(/^[a-z0-9]{10,16}$/)
  .map(suffix => `rawid-${suffix}`);

/** Spellings of a user-id key inside metadata. */
const USER_ID_KEYS = ['userId', 'user_id', 'USER_ID', 'UserID', 'user.id'];
const USER_IDS_KEYS = ['userIds', 'user_ids'];

export interface HiddenValues {
  readonly attributes: Record<string, string | number | string[]>;
  readonly emails: readonly string[];
  /** User ids (not e-mails): must be pseudonymized when a secret is set. */
  readonly ids: readonly string[];
}

const padArb = fc.constantFrom(0, 3, 200, 70_000).map(n => 'p'.repeat(n));

/** A JSON tree hiding `leaf` under `key`, nested `depth` deep in objects and arrays. */
function nestArb(leafKey: string, leaf: JsonTree): fc.Arbitrary<JsonTree> {
  return fc
    .record({
      wrappers: fc.array(
        fc.record({
          kind: fc.constantFrom('obj', 'arr'),
          key: fc.constantFrom('ctx', 'profile', 'a', 'nested', '__proto__'),
        }),
        { maxLength: 8 },
      ),
      pad: padArb,
      duplicate: fc.boolean(),
      inArray: fc.boolean(),
    })
    .map(({ wrappers, pad, duplicate, inArray }) => {
      const value: JsonTree = inArray ? { arr: [{ str: 'x' }, leaf] } : leaf;
      // The same key again after it: JSON.parse keeps the last one.
      const members: [string, JsonTree][] = [
        ['pad', { str: pad }],
        [leafKey, value],
      ];
      if (duplicate) members.push([leafKey, { str: 'clean' }]);
      let tree: JsonTree = { obj: members };
      for (const wrapper of wrappers) {
        tree =
          wrapper.kind === 'arr'
            ? { arr: [{ num: 1 }, tree] }
            : { obj: [[wrapper.key, tree]] };
      }
      return tree;
    });
}

const JSON_BAGS = [
  'metadata',
  'langfuse.trace.metadata',
  'langfuse.observation.metadata',
];
const SCALAR_KEYS = [
  'user.id',
  'enduser.id',
  'langfuse.user.id',
  'session.id',
  'user.email',
  'ai.telemetry.metadata.contact',
  'ai.telemetry.metadata.userId',
  'ai.settings.context.user.email',
  'traceloop.association.properties.user_id',
  'metadata.user_id',
  'langfuse.trace.metadata.owner',
];
const LIST_KEYS = [
  'ai.telemetry.metadata.userIds',
  'langfuse.trace.tags',
  'tag.tags',
  'traceloop.association.properties.emails',
  'user.id',
];

/** One e-mail or id hidden in one place; several of them make a span. */
const oneHidingPlace: fc.Arbitrary<HiddenValues> = fc.oneof(
  // A JSON bag, nested, padded, escaped, with duplicate keys.
  fc
    .record({
      bag: fc.constantFrom(...JSON_BAGS),
      isEmail: fc.boolean(),
      email: emailArb,
      id: rawIdArb,
      key: fc.constantFrom(...USER_ID_KEYS, 'contact', 'owner'),
      idKey: fc.constantFrom(...USER_ID_KEYS),
      escape: fc.constantFrom<Escape>('none', 'at', 'all', 'upper-hex'),
      asKey: fc.boolean(),
    })
    .chain(({ bag, isEmail, email, id, key, idKey, escape, asKey }) => {
      const leafKey = isEmail ? key : idKey;
      const raw = isEmail ? email : id;
      // An e-mail can also be a key: {"alice@example.com": 1}.
      const leaf: JsonTree =
        isEmail && asKey ? { obj: [[raw, { num: 1 }]] } : { str: raw };
      return nestArb(leafKey, leaf).map(tree => ({
        attributes: { [bag]: jsonText(tree, escape) },
        emails: isEmail ? [raw] : [],
        ids: isEmail ? [] : [raw],
      }));
    }),
  // An id list inside a JSON bag: {"userIds": [...]}.
  fc
    .record({
      bag: fc.constantFrom(...JSON_BAGS),
      key: fc.constantFrom(...USER_IDS_KEYS),
      ids: fc.array(rawIdArb, { minLength: 1, maxLength: 3 }),
    })
    .chain(({ bag, key, ids }) =>
      nestArb(key, { arr: ids.map(str => ({ str })) }).map(tree => ({
        attributes: { [bag]: jsonText(tree, 'none') },
        emails: [],
        ids,
      })),
    ),
  // An object or array under a user-id key: everything below it, keys
  // included, is pseudonymized (attack finding 5).
  fc
    .record({
      bag: fc.constantFrom(...JSON_BAGS),
      key: fc.constantFrom(...USER_ID_KEYS, ...USER_IDS_KEYS),
      id: rawIdArb,
      innerKey: fc.constantFrom('id', 'value', 'x', 'ref', 'plan'),
      shape: fc.constantFrom('object', 'array', 'as-key', 'deep'),
      escape: fc.constantFrom<Escape>('none', 'at', 'all'),
    })
    .chain(({ bag, key, id, innerKey, shape, escape }) => {
      const inner: JsonTree = { obj: [[innerKey, { str: id }]] };
      const below: JsonTree =
        shape === 'object'
          ? inner
          : shape === 'array'
            ? { arr: [{ str: 'a' }, inner] }
            : shape === 'as-key'
              ? { obj: [[id, { num: 1 }]] }
              : {
                  obj: [['a', { arr: [{ num: 2 }, { obj: [['b', inner]] }] }]],
                };
      return nestArb(key, below).map(tree => ({
        attributes: { [bag]: jsonText(tree, escape) },
        emails: [],
        ids: [id],
      }));
    }),
  // A plain attribute holding an e-mail (whole or inside text).
  fc
    .record({
      key: fc.constantFrom(...SCALAR_KEYS),
      email: emailArb,
      around: fc.constantFrom(
        ['', ''],
        ['contact: ', ' (work)'],
        ['x'.repeat(70_000) + ' ', ''],
      ),
    })
    .map(({ key, email, around }) => ({
      attributes: { [key]: `${around[0]}${email}${around[1]}` },
      emails: [email],
      ids: [],
    })),
  // A string array holding e-mails among other values.
  fc
    .record({
      key: fc.constantFrom(...LIST_KEYS),
      emails: fc.array(emailArb, { minLength: 1, maxLength: 3 }),
    })
    .map(({ key, emails }) => ({
      attributes: { [key]: ['production', ...emails] },
      emails,
      ids: [],
    })),
  // A user id under a user-id key, as a string, a number or a list.
  fc
    .record({
      key: fc.constantFrom(
        'user.id',
        'langfuse.user.id',
        'enduser.id',
        'ai.telemetry.metadata.userId',
        'traceloop.association.properties.user_id',
        'ai.settings.context.user.id',
        'metadata.userId',
        // Flattened keys under a user-id key.
        'ai.telemetry.metadata.userId.id',
        'metadata.user_id.value',
        'traceloop.association.properties.user.id.ref',
      ),
      id: rawIdArb,
      asList: fc.boolean(),
    })
    .map(({ key, id, asList }) => ({
      attributes: { [key]: asList ? [id] : id },
      emails: [],
      ids: [id],
    })),
);

/** Several hiding places on one span (later ones win a shared key, so only theirs count). */
export const hiddenValuesArb: fc.Arbitrary<HiddenValues> = fc
  .array(oneHidingPlace, { minLength: 1, maxLength: 4 })
  .map(places => {
    const owner = new Map<string, HiddenValues>();
    for (const place of places) {
      for (const key of Object.keys(place.attributes)) owner.set(key, place);
    }
    const attributes: HiddenValues['attributes'] = {};
    const emails: string[] = [];
    const ids: string[] = [];
    for (const [key, place] of owner) {
      attributes[key] = place.attributes[key]!;
    }
    for (const place of new Set(owner.values())) {
      emails.push(...place.emails);
      ids.push(...place.ids);
    }
    return { attributes, emails, ids };
  });
