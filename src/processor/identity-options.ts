import { diag } from '@opentelemetry/api';
import { envBool, envPositiveInt, envString, type Env } from '../config/env.js';
import type { IdentityPolicyOptions } from '../core/identity/identity-policy.js';
import {
  BACKEND_ALIASES,
  type BackendAlias,
} from '../outputs/open-inference-cost-aliases.js';

/** Attribution options shared by `CostSpanProcessor` and the exporter wrapper. */
export interface IdentityOptions {
  /**
   * Tags written besides the well-known `userId`, `sessionId`, `tenantId`,
   * `plan`, `feature` (allow-list; others are dropped).
   * @defaultValue env `OTEL_GENAI_COST_TAG_KEYS` (comma-separated), else []
   */
  readonly tagKeys?: readonly string[] | undefined;
  /**
   * Longer tag values are truncated.
   * @defaultValue env `OTEL_GENAI_COST_MAX_TAG_LENGTH`, else 128
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

export function resolveIdentityOptions(
  options: IdentityOptions,
  env: Env,
): ResolvedIdentityOptions {
  const secret =
    options.hmacSecret ?? envString(env, 'OTEL_GENAI_COST_HMAC_SECRET');
  return {
    policy: {
      tagKeys:
        options.tagKeys ?? envList(env, 'OTEL_GENAI_COST_TAG_KEYS') ?? [],
      maxValueLength:
        options.maxTagValueLength ??
        envPositiveInt(env, 'OTEL_GENAI_COST_MAX_TAG_LENGTH') ??
        128,
      ...(secret === undefined || secret === '' ? {} : { hmacSecret: secret }),
      pseudonymizeKeys: options.pseudonymizeKeys ??
        envList(env, 'OTEL_GENAI_COST_PSEUDONYMIZE_KEYS') ?? ['userId'],
      allowRawEmail:
        options.allowRawEmail ??
        envBool(env, 'OTEL_GENAI_COST_ALLOW_RAW_EMAIL') ??
        false,
    },
    aliases: new Set(
      validAliases(
        options.aliases ?? envList(env, 'OTEL_GENAI_COST_ALIASES') ?? [],
      ),
    ),
    propagation: resolvePropagation(
      options.propagation ?? envString(env, 'OTEL_GENAI_COST_PROPAGATION'),
    ),
  };
}

function envList(env: Env, name: string): string[] | undefined {
  const raw = envString(env, name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
}

function validAliases(values: readonly string[]): BackendAlias[] {
  const valid: BackendAlias[] = [];
  for (const value of values) {
    if ((BACKEND_ALIASES as readonly string[]).includes(value)) {
      valid.push(value as BackendAlias);
    } else {
      diag.warn(`otel-genai-cost: ignoring unknown alias set "${value}"`);
    }
  }
  return valid;
}

function resolvePropagation(value: string | undefined): 'none' | 'baggage' {
  if (value === undefined || value === 'none') return 'none';
  if (value === 'baggage') return 'baggage';
  diag.warn(`otel-genai-cost: ignoring propagation "${value}" (none|baggage)`);
  return 'none';
}
