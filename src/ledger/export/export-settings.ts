import type { Setting } from '../../config/setting.js';
import { checkNonEmptyString } from '../../config/setting-values.js';

/** Settings of `otel-genai-cost export` that a variable can give. */
export interface ExportSettingValues {
  readonly apiKey: string;
  readonly stripeApiKey: string;
  readonly openmeterApiKey: string;
  readonly lagoApiKey: string;
  readonly endpoint: string;
}

type ExportSetting = Setting<ExportSettingValues, keyof ExportSettingValues>;

/** An http(s) URL without credentials. */
function checkEndpoint(value: unknown): string {
  const text = checkNonEmptyString(value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error('expected an http:// or https:// URL');
  if (url.username !== '' || url.password !== '')
    throw new Error(
      'give the key with --api-key or its variable, not in the URL',
    );
  return text;
}

const secretKey = (
  key: 'stripeApiKey' | 'openmeterApiKey' | 'lagoApiKey',
  env: string,
  vendor: string,
): ExportSetting => ({
  key,
  env,
  valueName: 'key',
  type: 'string',
  defaultText: undefined,
  description: `${vendor} API key for \`export --to ${vendor.toLowerCase()}\` (sent as a Bearer token, never printed)`,
  shells: ['cli'],
  secret: true,
  parse: checkNonEmptyString,
  check: checkNonEmptyString,
});

/**
 * The export's key and endpoint: `--api-key` wins over the destination's
 * variable (`STRIPE_API_KEY`, `OPENMETER_API_KEY`, `LAGO_API_KEY`).
 * Prefer the variable: a flag shows in the process list.
 */
export const EXPORT_SETTINGS: readonly ExportSetting[] = [
  {
    key: 'apiKey',
    env: undefined,
    flag: '--api-key',
    valueName: 'key',
    type: 'string',
    defaultText: undefined,
    description:
      "the destination's API key (default: its variable; a flag shows in the process list, prefer the variable)",
    shells: ['cli'],
    secret: true,
    parse: checkNonEmptyString,
    check: checkNonEmptyString,
  },
  secretKey('stripeApiKey', 'STRIPE_API_KEY', 'Stripe'),
  secretKey('openmeterApiKey', 'OPENMETER_API_KEY', 'OpenMeter'),
  secretKey('lagoApiKey', 'LAGO_API_KEY', 'Lago'),
  {
    key: 'endpoint',
    env: undefined,
    flag: '--endpoint',
    valueName: 'url',
    type: 'string',
    defaultText:
      'https://api.stripe.com, https://openmeter.cloud, https://api.getlago.com',
    description:
      "the destination's API base URL (self-hosted OpenMeter or Lago, a proxy, a test server)",
    shells: ['cli'],
    parse: checkEndpoint,
    check: checkEndpoint,
  },
];
