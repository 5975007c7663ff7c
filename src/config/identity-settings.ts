import {
  BACKEND_ALIASES,
  type BackendAlias,
} from '../outputs/backend-alias.js';
import { SettingError, type Setting } from './setting.js';
import {
  checkBoolean,
  checkStringList,
  choiceOf,
  integerIn,
  listOf,
  parseBoolean,
  parseList,
} from './setting-values.js';

/** Attribution settings of `CostSpanProcessor`, the exporter wrapper and the gateway. */
export interface IdentitySettingValues {
  readonly tagKeys: readonly string[];
  readonly maxTagValueLength: number;
  readonly hmacSecret: string;
  readonly pseudonymizeKeys: readonly string[];
  readonly allowRawEmail: boolean;
  readonly aliases: readonly BackendAlias[];
  readonly propagation: 'none' | 'baggage';
}

type Row = Setting<IdentitySettingValues>;

const aliases = listOf(
  item => (BACKEND_ALIASES as readonly string[]).includes(item),
  `a known alias set (${BACKEND_ALIASES.join(', ')})`,
);

/** A string, kept as given (an empty one turns pseudonymization off). */
function checkSecret(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new SettingError('expected a string');
}

export const IDENTITY_SETTINGS: readonly Row[] = [
  {
    key: 'tagKeys',
    env: 'OTEL_GENAI_COST_TAG_KEYS',
    valueName: 'list',
    type: 'string[]',
    defaultText: '[]',
    defaultValue: [],
    description:
      'tags written besides userId, sessionId, tenantId, plan and feature (comma-separated in the variable); others are dropped',
    shells: ['processor', 'exporter', 'gateway'],
    parse: parseList,
    check: checkStringList,
  },
  {
    key: 'maxTagValueLength',
    env: 'OTEL_GENAI_COST_MAX_TAG_VALUE_LENGTH',
    deprecatedEnv: ['OTEL_GENAI_COST_MAX_TAG_LENGTH'],
    valueName: 'count',
    type: 'number',
    defaultText: '128',
    defaultValue: 128,
    description: 'longer tag values are truncated (pseudonyms never)',
    shells: ['processor', 'exporter', 'gateway'],
    ...integerIn(1, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'hmacSecret',
    env: 'OTEL_GENAI_COST_HMAC_SECRET',
    valueName: 'secret',
    type: 'string',
    defaultText: undefined,
    description:
      'HMAC-SHA256 secret: userId (and pseudonymizeKeys) and e-mail addresses are written as hmac:<32 hex>',
    shells: ['processor', 'exporter', 'gateway'],
    parse: checkSecret,
    check: checkSecret,
  },
  {
    key: 'pseudonymizeKeys',
    env: 'OTEL_GENAI_COST_PSEUDONYMIZE_KEYS',
    valueName: 'list',
    type: 'string[]',
    defaultText: "['userId']",
    defaultValue: ['userId'],
    description: 'tags pseudonymized when a secret is set',
    shells: ['processor', 'exporter', 'gateway'],
    parse: parseList,
    check: checkStringList,
  },
  {
    key: 'allowRawEmail',
    env: 'OTEL_GENAI_COST_ALLOW_RAW_EMAIL',
    valueName: 'boolean',
    type: 'boolean',
    defaultText: 'false',
    defaultValue: false,
    description:
      'write e-mail-looking values raw; when false and no secret is set they become redacted-email',
    shells: ['processor', 'exporter', 'gateway'],
    parse: parseBoolean,
    check: checkBoolean,
  },
  {
    key: 'aliases',
    env: 'OTEL_GENAI_COST_ALIASES',
    valueName: 'list',
    type: "('openinference' | 'langfuse')[]",
    defaultText: '[]',
    defaultValue: [],
    description:
      'extra attribute sets for other backends (docs/backends.md): openinference writes llm.cost.* with prompt_details and completion_details; langfuse writes langfuse.observation.cost_details, trace tags and observation metadata for tenant, plan and feature',
    shells: ['processor', 'exporter', 'gateway'],
    parse: raw => aliases.parse(raw) as BackendAlias[],
    check: value => aliases.check(value) as BackendAlias[],
  },
  {
    key: 'propagation',
    env: 'OTEL_GENAI_COST_PROPAGATION',
    valueName: 'none|baggage',
    type: "'none' | 'baggage'",
    defaultText: 'none',
    defaultValue: 'none',
    description:
      'baggage: copy allow-listed W3C baggage entries into the attribution of spans started under them (in-process only)',
    shells: ['processor', 'exporter'],
    ...choiceOf(['none', 'baggage'] as const),
  },
];
