import type { Env } from '../config/env.js';
import {
  IDENTITY_SETTINGS,
  type IdentitySettingValues,
} from '../config/identity-settings.js';
import {
  resolveSettings,
  WARN_AND_DEFAULT,
  type InvalidPolicy,
} from '../config/resolve-settings.js';
import type { Shell } from '../config/setting.js';
import type { IdentityPolicyOptions } from '../core/identity/identity-policy.js';
import type { BackendAlias } from '../outputs/open-inference-cost-aliases.js';

/**
 * Attribution options shared by `CostSpanProcessor`, the exporter wrapper
 * and the gateway; their rows are `IDENTITY_SETTINGS` (src/config).
 */
export interface IdentityOptions {
  /**
   * Tags written besides the well-known `userId`, `sessionId`, `tenantId`,
   * `plan`, `feature` (allow-list; others are dropped).
   * @defaultValue env `OTEL_GENAI_COST_TAG_KEYS` (comma-separated), else []
   */
  readonly tagKeys?: readonly string[] | undefined;
  /**
   * Longer tag values are truncated.
   * @defaultValue env `OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH` (formerly
   * `OTEL_GENAI_COST_MAX_TAG_LENGTH`, still read with a warning), else 128
   */
  readonly maxTagValueLength?: number | undefined;
  /**
   * HMAC-SHA256 secret; when set, `userId` (and `pseudonymizeKeys`) and any
   * e-mail address are written as `hmac:<32 hex>`, on the attributes this
   * library writes AND on the identity attributes other instrumentations
   * put on any span: scalars, every element of a list, every value and key
   * of a JSON metadata bag at any depth. A bag that cannot be parsed safely
   * (over 1 MiB, nested over 64 levels, invalid, or over 10,000 values to
   * rewrite) is replaced by `{"otel.genai.cost.redacted":"<reason>"}`.
   * @defaultValue env `OTEL_GENAI_COST_HMAC_SECRET`, else off
   */
  readonly hmacSecret?: string | undefined;
  /**
   * Tags pseudonymized when a secret is set.
   * @defaultValue env `OTEL_GENAI_COST_PSEUDONYMIZE_KEYS`, else ['userId']
   */
  readonly pseudonymizeKeys?: readonly string[] | undefined;
  /**
   * Write e-mail-looking values raw. When false and no secret is set they are
   * replaced by `redacted-email` (one diag warning), in the same places as
   * pseudonyms, on LLM spans (every span when a secret is set).
   * @defaultValue env `OTEL_GENAI_COST_ALLOW_RAW_EMAIL`, else false
   */
  readonly allowRawEmail?: boolean | undefined;
  /**
   * Extra attribute sets for other backends: `openinference` writes
   * `llm.cost.total|prompt|completion` (Phoenix, Arize).
   * @defaultValue env `OTEL_GENAI_COST_ALIASES` (comma-separated), else []
   */
  readonly aliases?: readonly BackendAlias[] | undefined;
  /**
   * `baggage`: copy allow-listed W3C baggage entries (`userId`, `user.id`,
   * `tenantId`, ...) into the attribution of spans started under them, for
   * attribution across services. @defaultValue env `OTEL_GENAI_COST_PROPAGATION`, else 'none'
   */
  readonly propagation?: 'none' | 'baggage' | undefined;
}

export interface ResolvedIdentityOptions {
  readonly policy: Omit<IdentityPolicyOptions, 'onEmailRedacted'>;
  readonly aliases: ReadonlySet<BackendAlias>;
  readonly propagation: 'none' | 'baggage';
}

/**
 * `option ?? env ?? default` for every identity setting `shell` reads
 * (`propagation` is in-process only). Bad values warn and take the
 * default, unless `onInvalid` says to fail (the gateway).
 */
export function resolveIdentityOptions(
  options: IdentityOptions,
  env: Env,
  onInvalid: InvalidPolicy = WARN_AND_DEFAULT,
  shell: Shell = 'processor',
): ResolvedIdentityOptions {
  const values = resolveSettings(
    IDENTITY_SETTINGS.filter(setting => setting.shells.includes(shell)),
    { options, env, onInvalid },
  ) as Omit<IdentitySettingValues, 'hmacSecret' | 'propagation'> &
    Partial<IdentitySettingValues>;
  const secret = values.hmacSecret;
  return {
    policy: {
      tagKeys: values.tagKeys,
      maxValueLength: values.maxTagValueLength,
      ...(secret === undefined || secret === '' ? {} : { hmacSecret: secret }),
      pseudonymizeKeys: values.pseudonymizeKeys,
      allowRawEmail: values.allowRawEmail,
    },
    aliases: new Set(values.aliases),
    propagation: values.propagation ?? 'none',
  };
}
