import { createHmac } from 'node:crypto';
import { UNATTRIBUTED, type Identity } from '../identity.js';
import { BUDGET_SPENT_VALUE, type ScrubBudget } from './scrub-budget.js';
import {
  normalizeTagKey,
  WELL_KNOWN_TAG_KEYS,
  type AttributionTags,
} from './tag-key.js';

/** What replaces an e-mail address when there is no secret to hash it. */
export const REDACTED_EMAIL = 'redacted-email';

export interface IdentityPolicyOptions {
  /** Tags kept besides the well-known ones (`userId`, `sessionId`, `tenantId`, `plan`, `feature`). */
  readonly tagKeys?: readonly string[];
  /** Longer values are truncated. @defaultValue 128 */
  readonly maxValueLength?: number;
  /** HMAC-SHA256 key; pseudonymization is on only when it is set. */
  readonly hmacSecret?: string | undefined;
  /** Tags replaced by their pseudonym when a secret is set. @defaultValue ['userId'] */
  readonly pseudonymizeKeys?: readonly string[];
  /** Write e-mail-looking values raw. @defaultValue false */
  readonly allowRawEmail?: boolean;
  /** Called each time an e-mail is replaced by `redacted-email` (shells warn once). */
  readonly onEmailRedacted?: () => void;
  /**
   * Write every identity source attribute back, changed or not (see
   * `scrubIdentityAttributes`): for shells that forward bytes they decoded
   * with another parser than the next hop's (the gateway). @defaultValue false
   */
  readonly rewriteAllSources?: boolean;
}

/** The raw tags found for one call, by source, before privacy rules. */
export interface IdentityLayers {
  /** `withAttribution`, middleware, baggage or `recordLlmCall` tags. */
  readonly explicit?: AttributionTags | undefined;
  readonly explicitSource?: 'context' | 'manual' | undefined;
  /** Read from the span's own attributes. */
  readonly own?: AttributionTags | undefined;
  /** Read from ancestor spans, nearest ancestor's values first. */
  readonly ancestors?: AttributionTags | undefined;
}

const DEFAULT_MAX_VALUE_LENGTH = 128;
/** Layer entries a remembered resolution holds at most. */
const MAX_RECENT_ENTRIES = 32;

/**
 * The last resolution of `_resolveRecent`: the entries it read (`keys`,
 * `values`, in order, and where each layer's end: `ends`), its explicit
 * source, the e-mail warnings it gave, and its answer (undefined: none).
 * The arrays are overwritten in place by each read: none per call.
 */
interface RecentResolution {
  identity: Identity | undefined;
  source: 'context' | 'manual';
  redactions: number;
  readonly keys: (string | undefined)[];
  readonly values: unknown[];
  readonly ends: number[];
}
const MAX_MEMO = 10_000;
const PSEUDONYM_HEX_CHARS = 32;
const PSEUDONYM = /^hmac:[0-9a-f]{32}$/;
/** `hmac:` and the hex characters: only a value this long can be one. */
const PSEUDONYM_LENGTH = 5 + PSEUDONYM_HEX_CHARS;
/** Dotted parts of the longest spelling of a tag (`langfuse.user.id`). */
const MIN_RUN = 3;

/**
 * Where a value sits, for the pseudonymization rule, built one key at a
 * time (`IdentityPolicy.childPath`): whether a key on the way names a
 * pseudonymized tag, and the last dotted parts seen (a tag spelled over
 * several keys: `{"user": {"id": ...}}`).
 */
export interface TagPath {
  readonly pseudonymized: boolean;
  readonly tail: readonly string[];
}

/** The path of a bag's root: nothing named yet. */
export const ROOT_TAG_PATH: TagPath = Object.freeze({
  pseudonymized: false,
  tail: Object.freeze([]) as readonly string[],
});
const UNDER_PSEUDONYMIZED: TagPath = Object.freeze({
  pseudonymized: true,
  tail: Object.freeze([]) as readonly string[],
});

/**
 * Privacy and shape rules for attribution, applied once, here: which tags
 * are kept (allow-list), how long a value may be, which values are replaced
 * by an HMAC-SHA256 pseudonym (`hmac:<32 hex>`, the first 128 bits), and that
 * an e-mail-looking value is never written raw unless `allowRawEmail`: it is
 * pseudonymized with a secret, or replaced by `redacted-email` without one.
 * Pure apart from a bounded memo of pseudonyms.
 */
export class IdentityPolicy {
  readonly allowedKeys: ReadonlySet<string>;
  readonly maxValueLength: number;
  readonly allowRawEmail: boolean;
  /** Whether a secret is set, so ids are pseudonymized. */
  readonly pseudonymizes: boolean;
  readonly rewritesAllSources: boolean;
  private readonly _secret: string | undefined;
  private readonly _pseudonymizeKeys: ReadonlySet<string>;
  /** Dotted parts a pseudonymized tag may be spelled with, at most. */
  private readonly _maxRun: number;
  private readonly _onEmailRedacted: (() => void) | undefined;
  private readonly _memo = new Map<string, string>();
  private readonly _tagMemo = new Map<string, boolean>();
  /** `resolve` of an explicit tag set alone, by (frozen) tag set. */
  private readonly _explicitMemo = {
    context: new WeakMap<object, Identity>(),
    manual: new WeakMap<object, Identity>(),
  };
  /** E-mail values redacted so far (each one warned through the option). */
  private _redactions = 0;
  /** A `_resolveRecent` is running (a nested one does without it). */
  private _resolvingRecent = false;
  /** The last resolution without a secret (`_resolveRecent`). */
  private readonly _recent: RecentResolution = {
    identity: undefined,
    source: 'context',
    redactions: 0,
    keys: [],
    values: [],
    ends: [0, 0, 0],
  };

  constructor(options: IdentityPolicyOptions = {}) {
    this.allowedKeys = new Set([
      ...WELL_KNOWN_TAG_KEYS,
      ...(options.tagKeys ?? []).map(normalizeTagKey),
    ]);
    const max = options.maxValueLength;
    this.maxValueLength =
      max !== undefined && Number.isInteger(max) && max > 0
        ? max
        : DEFAULT_MAX_VALUE_LENGTH;
    this.allowRawEmail = options.allowRawEmail === true;
    const secret = options.hmacSecret;
    this._secret = secret !== undefined && secret !== '' ? secret : undefined;
    this.pseudonymizes = this._secret !== undefined;
    const pseudonymizeKeys = options.pseudonymizeKeys ?? ['userId'];
    this._pseudonymizeKeys = new Set(pseudonymizeKeys.map(normalizeTagKey));
    this._maxRun = Math.max(
      MIN_RUN,
      ...pseudonymizeKeys.map(key => key.split('.').length),
    );
    this._onEmailRedacted = options.onEmailRedacted;
    this.rewritesAllSources = options.rewriteAllSources === true;
  }

  /** Whether source attributes may hold values this policy must rewrite. */
  get rewritesSources(): boolean {
    return this.pseudonymizes || !this.allowRawEmail;
  }

  /**
   * Merges the layers (explicit context > the span's own attributes >
   * ancestors, per key), keeps allowed tags and applies the privacy rules.
   * `source` is the highest-precedence layer that contributed a tag; no tag
   * at all gives the explicit unattributed identity (`source: 'none'`).
   */
  resolve(layers: IdentityLayers): Identity {
    const { explicit, own, ancestors } = layers;
    const explicitSource = layers.explicitSource ?? 'context';
    // The common case: one request's attribution (a frozen tag set shared
    // by all its spans) and nothing on the span or its ancestors. The same
    // answer every time: resolved once per tag set.
    const memo =
      own === undefined && ancestors === undefined && explicit !== undefined
        ? this._explicitMemo[explicitSource]
        : undefined;
    const known = memo?.get(explicit as object);
    if (known !== undefined) return known;
    const identity =
      this._secret !== undefined
        ? this._resolve(explicit, explicitSource, own, ancestors)
        : this._resolvingRecent
          ? this._resolveNested(explicit, explicitSource, own, ancestors)
          : this._resolveRecentOnce(explicit, explicitSource, own, ancestors);
    // Only a frozen tag set can be remembered (its answer cannot change).
    if (memo !== undefined && Object.isFrozen(explicit)) {
      memo.set(explicit as object, identity);
    }
    return identity;
  }

  /**
   * `_resolveRecent`, never nested: the e-mail warning runs user code (the
   * `diag` logger) that may resolve another span's identity with this
   * policy; that one is resolved without the last resolution, which it
   * must not overwrite while this one reads it.
   */
  private _resolveRecentOnce(
    explicit: AttributionTags | undefined,
    explicitSource: 'context' | 'manual',
    own: AttributionTags | undefined,
    ancestors: AttributionTags | undefined,
  ): Identity {
    this._resolvingRecent = true;
    try {
      return this._resolveRecent(explicit, explicitSource, own, ancestors);
    } finally {
      this._resolvingRecent = false;
    }
  }

  /**
   * `_resolve` inside a `_resolveRecent` (through its e-mail warning): the
   * warnings it gives are not counted as the outer resolution's.
   */
  private _resolveNested(
    explicit: AttributionTags | undefined,
    explicitSource: 'context' | 'manual',
    own: AttributionTags | undefined,
    ancestors: AttributionTags | undefined,
  ): Identity {
    const redactions = this._redactions;
    try {
      return this._resolve(explicit, explicitSource, own, ancestors);
    } finally {
      this._redactions = redactions;
    }
  }

  /**
   * `_resolve`, answered from the last resolution when the layers hold the
   * same entries (keys, values, order, layer) as then: the spans of one
   * request or agent loop usually carry the same tags on the span and its
   * ancestors, fresh objects each time, so the explicit-set memo cannot
   * answer them (on an AI SDK span with its user in telemetry metadata:
   * ~145 ns, half of it the two freezes). Without a secret the answer is a
   * function of those entries alone (fixed options); the e-mail warnings
   * the last resolution gave are given again. One resolution is kept, of at
   * most `MAX_RECENT_ENTRIES` entries.
   */
  private _resolveRecent(
    explicit: AttributionTags | undefined,
    explicitSource: 'context' | 'manual',
    own: AttributionTags | undefined,
    ancestors: AttributionTags | undefined,
  ): Identity {
    const recent = this._recent;
    const keys = recent.keys;
    const values = recent.values;
    const ends = recent.ends;
    let same =
      recent.identity !== undefined && recent.source === explicitSource;
    let n = 0;
    for (let i = 0; i < 3; i++) {
      const layer = i === 0 ? explicit : i === 1 ? own : ancestors;
      if (layer !== undefined) {
        // The same entries `_resolve` reads: every enumerable key, in order.
        for (const key in layer) {
          if (n >= MAX_RECENT_ENTRIES) {
            recent.identity = undefined;
            return this._resolve(explicit, explicitSource, own, ancestors);
          }
          const value = layer[key];
          if (keys[n] !== key || values[n] !== value) {
            same = false;
            keys[n] = key;
            values[n] = value;
          }
          n += 1;
        }
      }
      if (ends[i] !== n) {
        same = false;
        ends[i] = n;
      }
    }
    if (same) {
      for (let i = 0; i < recent.redactions; i++) this._emailRedacted();
      return recent.identity as Identity;
    }
    // The entries just read are the last resolution's from now on; nothing
    // past them is held (the arrays keep their length: truncating them would
    // reallocate their store on the next read).
    for (let i = n; i < keys.length && keys[i] !== undefined; i++) {
      keys[i] = undefined;
      values[i] = undefined;
    }
    recent.identity = undefined;
    const before = this._redactions;
    const identity = this._resolveEntries(recent, explicitSource);
    recent.source = explicitSource;
    recent.redactions = this._redactions - before;
    recent.identity = identity;
    return identity;
  }

  /**
   * `_resolve` over the entries `_resolveRecent` read (the layers are not
   * enumerated twice): the same steps in the same order.
   */
  private _resolveEntries(
    recent: RecentResolution,
    explicitSource: 'context' | 'manual',
  ): Identity {
    const { keys, values, ends } = recent;
    const tags: Record<string, string> = {};
    let source: Identity['source'] = 'none';
    let n = 0;
    for (let i = 0; i < 3; i++) {
      const layerSource =
        i === 0 ? explicitSource : i === 1 ? 'span' : 'ancestor';
      for (const end = ends[i] as number; n < end; n++) {
        const key = keys[n] as string;
        const value = values[n];
        if (
          Object.hasOwn(tags, key) ||
          !this.allowedKeys.has(key) ||
          typeof value !== 'string' ||
          value === ''
        ) {
          continue;
        }
        tags[key] = this.outputValue(key, value);
        if (source === 'none') source = layerSource;
      }
    }
    return source === 'none' ? UNATTRIBUTED : frozenIdentity(tags, source);
  }

  private _emailRedacted(): void {
    this._redactions += 1;
    this._onEmailRedacted?.();
  }

  private _resolve(
    explicit: AttributionTags | undefined,
    explicitSource: 'context' | 'manual',
    own: AttributionTags | undefined,
    ancestors: AttributionTags | undefined,
  ): Identity {
    const tags: Record<string, string> = {};
    let source: Identity['source'] = 'none';
    for (let i = 0; i < 3; i++) {
      const layer = i === 0 ? explicit : i === 1 ? own : ancestors;
      if (layer === undefined) continue;
      const layerSource =
        i === 0 ? explicitSource : i === 1 ? 'span' : 'ancestor';
      for (const key in layer) {
        const value = layer[key];
        if (
          Object.hasOwn(tags, key) ||
          !this.allowedKeys.has(key) ||
          typeof value !== 'string' ||
          value === ''
        ) {
          continue;
        }
        tags[key] = this.outputValue(key, value);
        if (source === 'none') source = layerSource;
      }
    }
    if (source === 'none') return UNATTRIBUTED;
    return frozenIdentity(tags, source);
  }

  /** The value written for a tag: privacy rules applied, then capped. */
  outputValue(tag: string, value: string): string {
    const protectedValue = this.protect(tag, value);
    if (protectedValue !== undefined) return protectedValue;
    return value.length > this.maxValueLength
      ? value.slice(0, this.maxValueLength)
      : value;
  }

  /**
   * The replacement privacy requires for a value (a pseudonym or
   * `redacted-email`), or undefined when it may be written as is. Idempotent:
   * pseudonyms and `redacted-email` are left alone. With a `budget`, a
   * pseudonym not computed recently takes one value from it; once none is
   * left, `BUDGET_SPENT_VALUE` is returned instead.
   */
  protect(
    tag: string,
    value: string,
    budget?: ScrubBudget | undefined,
  ): string | undefined {
    return this.protectAt(tag, value, budget);
  }

  /**
   * `protect` for a value whose place is a `TagPath` (a JSON bag walked one
   * key at a time) or a dotted tag.
   */
  protectAt(
    where: string | TagPath,
    value: string,
    budget: ScrubBudget | undefined,
  ): string | undefined {
    if (
      value === REDACTED_EMAIL ||
      (value.length === PSEUDONYM_LENGTH && PSEUDONYM.test(value))
    ) {
      return undefined;
    }
    if (!this.allowRawEmail && containsEmail(value)) {
      if (this._secret !== undefined) return this._budgeted(value, budget);
      this._emailRedacted();
      return REDACTED_EMAIL;
    }
    if (
      this._secret !== undefined &&
      (typeof where === 'string'
        ? this.isPseudonymizedTag(where)
        : where.pseudonymized)
    ) {
      return this._budgeted(value, budget);
    }
    return undefined;
  }

  /**
   * Whether values under `tag` are pseudonymized (with a secret): some run
   * of its dotted parts, spelled any way `normalizeTagKey` knows, singular
   * or plural (`userIds`), names one of `pseudonymizeKeys`. So the tag
   * itself (`user_id`), the end of a nested key (`ctx.user_id`,
   * `ctx.user.id`) and anything under such a key (`userId.id`,
   * `user.id.value`) are.
   */
  isPseudonymizedTag(tag: string): boolean {
    const known = this._tagMemo.get(tag);
    if (known !== undefined) return known;
    const result = this.childPath(ROOT_TAG_PATH, tag).pseudonymized;
    if (this._tagMemo.size >= MAX_MEMO) this._tagMemo.clear();
    this._tagMemo.set(tag, result);
    return result;
  }

  /**
   * The path of `key` (one JSON key, or a dotted tag) under `parent`: it is
   * pseudonymized when its parent is, or when a run of dotted parts ending
   * in `key` names a pseudonymized tag. Linear in the key's length.
   */
  childPath(parent: TagPath, key: string): TagPath {
    if (parent.pseudonymized) return parent;
    const parts = [...parent.tail, ...key.split('.')];
    const keep = this._maxRun - 1;
    for (let end = parent.tail.length; end < parts.length; end += 1) {
      for (let start = Math.max(0, end - keep); start <= end; start += 1) {
        if (this._names(parts.slice(start, end + 1).join('.'))) {
          return UNDER_PSEUDONYMIZED;
        }
      }
    }
    return { pseudonymized: false, tail: parts.slice(-keep) };
  }

  private _names(name: string): boolean {
    if (this._pseudonymizeKeys.has(normalizeTagKey(name))) return true;
    return (
      /s$/i.test(name) &&
      this._pseudonymizeKeys.has(normalizeTagKey(name.slice(0, -1)))
    );
  }

  /** The pseudonym of `value`, taken from `budget` unless computed recently. */
  private _budgeted(value: string, budget: ScrubBudget | undefined): string {
    if (budget !== undefined && !this._memo.has(value) && !budget.takeValue()) {
      return BUDGET_SPENT_VALUE;
    }
    return this.pseudonym(value);
  }

  /**
   * `hmac:` + the first 32 hex characters of HMAC-SHA256(secret, value).
   * Deterministic, so one user keeps one pseudonym; rotate the secret to
   * unlink everything recorded before.
   */
  pseudonym(value: string): string {
    const secret = this._secret;
    if (secret === undefined) {
      throw new Error('otel-genai-cost: pseudonym() needs an HMAC secret');
    }
    const known = this._memo.get(value);
    if (known !== undefined) return known;
    const digest = createHmac('sha256', secret).update(value).digest('hex');
    const pseudonym = `hmac:${digest.slice(0, PSEUDONYM_HEX_CHARS)}`;
    // Cleared when full: evicting one oldest entry at a time is O(size) per
    // eviction in V8 once the map is saturated.
    if (this._memo.size >= MAX_MEMO) this._memo.clear();
    this._memo.set(value, pseudonym);
    return pseudonym;
  }
}

/** The identity of resolved tags (frozen, as are its tags). */
function frozenIdentity(
  tags: Record<string, string>,
  source: Exclude<Identity['source'], 'none'>,
): Identity {
  return Object.freeze({
    userId: tags['userId'],
    sessionId: tags['sessionId'],
    tenantId: tags['tenantId'],
    plan: tags['plan'],
    feature: tags['feature'],
    tags: Object.freeze(tags),
    source,
  });
}

/**
 * Whether `value` contains something shaped like `local@domain.tld`
 * (the regex `[^\s@]+@[^\s@]+\.[^\s@]+`, with every control or space
 * character as a separator). Linear time: a backtracking regex is quadratic
 * on long values without a dot after the `@`.
 */
export function containsEmail(value: string): boolean {
  let at = value.indexOf('@');
  while (at !== -1) {
    if (at > 0 && !isSeparator(value.charCodeAt(at - 1))) {
      let domainChar = false;
      let dotAfterDomainChar = false;
      for (let i = at + 1; i < value.length; i += 1) {
        const code = value.charCodeAt(i);
        if (isSeparator(code)) break;
        if (code === 46 /* . */) {
          if (domainChar) dotAfterDomainChar = true;
        } else if (dotAfterDomainChar) {
          return true;
        } else {
          domainChar = true;
        }
      }
    }
    at = value.indexOf('@', at + 1);
  }
  return false;
}

function isSeparator(code: number): boolean {
  return code <= 32 || code === 64 /* @ */ || code === 0xa0 || code === 0x3000;
}
