/** Shapes remembered (a power of two). */
const SHAPES = 64;
/** Records of at most this many keys stay fast without help. */
const MIN_KEYS = 12;
/** Records of more keys are left as they are built. */
const MAX_KEYS = 128;

/**
 * Keeps the attribute records the scan path builds (`{}`, then one keyed
 * store per attribute, in the span's order) in V8's fast mode when a span
 * shape (the same keys in the same order) comes again.
 *
 * V8 gives an object a hidden class per set of keys added in order, each
 * class a transition from the one before. A keyed store (`record[key] =
 * value`) only creates a transition while the object has at most about
 * 16 properties (4 in the object, 12 outside); past that it turns the
 * object into a dictionary (a hash table), which costs about twice as much
 * to build and several times as much to enumerate (`Object.keys`) and
 * read: an AI SDK span of 31 keys, ~0.9 -> ~0.4 µs to build, ~0.65 ->
 * ~0.2 µs for its key listing and a dozen reads (micro). An existing
 * transition is followed whatever the count. Copying an object with
 * spread (`{...object}`) does create the whole chain of transitions from
 * the empty object literal's class, so one copy of an object with the
 * shape's keys (`template`, made from JSON text once per shape) lets every
 * later record of that shape follow it; keeping the copy keeps the chain.
 *
 * Only where V8 puts the properties changes: the records are built by the
 * same code, so their keys, order, values and prototype are the same
 * either way (a `__proto__` key still goes to the setter; no shape with
 * one is copied anyway). A shape is copied the second time it comes in a
 * row at its place (`note`), so a request of keys that never repeat costs
 * a table store per span, not a copy (a request alternating two shapes of
 * one place two spans at a time gets a copy every other span: about the
 * cost of building those spans' records once more). At most 64 copies are
 * kept, with V8's classes (one per key) and their keys: about 1.3 MiB
 * for 64 shapes of 128 keys of ~40 characters (measured), a few KiB for a
 * shape of 20-30 keys.
 */
export class RecordShapes {
  private readonly _hashes = new Int32Array(SHAPES);
  private readonly _counts = new Int32Array(SHAPES);
  private readonly _templates: (object | undefined)[] = new Array<
    object | undefined
  >(SHAPES).fill(undefined);

  /**
   * Notes that `record` was built with `count` keys, of the shape `hash`
   * (of its keys in order; any two shapes may share a hash, which only
   * means one of them is not helped): the second time a shape comes in a
   * row, a template of its keys is made and kept.
   */
  note(hash: number, count: number, record: object): void {
    if (count <= MIN_KEYS || count > MAX_KEYS) return;
    const index = (hash ^ (hash >>> 16)) & (SHAPES - 1);
    if (this._hashes[index] === hash && this._counts[index] === count) {
      if (this._templates[index] === undefined) {
        this._templates[index] = templateOf(Object.keys(record));
      }
      return;
    }
    this._hashes[index] = hash;
    this._counts[index] = count;
    this._templates[index] = undefined;
  }

  /** Shapes with a template (for tests). */
  get templates(): number {
    return this._templates.filter(template => template !== undefined).length;
  }
}

/**
 * A copy, by spread, of an object with these keys in this order (each
 * `0`), or an empty object when one is `__proto__`.
 */
function templateOf(keys: readonly string[]): object {
  if (keys.includes('__proto__')) return {};
  const text = keys.map(key => `${JSON.stringify(key)}:0`).join(',');
  return { ...(JSON.parse(`{${text}}`) as object) };
}

/** The scan path's shapes (its reading runs on one thread). */
export const RECORD_SHAPES = new RecordShapes();
