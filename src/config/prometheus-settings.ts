import type { Setting } from './setting.js';
import {
  checkBoolean,
  checkNonEmptyString,
  integerIn,
} from './setting-values.js';

/** The options of `startPrometheusServer` and `createPrometheusHandler`. */
export interface PrometheusSettingValues {
  readonly host: string;
  readonly port: number;
  readonly endpoint: string;
  readonly prefix: string;
  readonly withoutScopeInfo: boolean;
  readonly withoutTargetInfo: boolean;
}

type Row = Setting<PrometheusSettingValues>;

/**
 * The two variables are those of the OpenTelemetry Prometheus exporter
 * (the specification's names), not `OTEL_GENAI_COST_*`.
 */
export const PROMETHEUS_SETTINGS: readonly Row[] = [
  {
    key: 'host',
    env: 'OTEL_EXPORTER_PROMETHEUS_HOST',
    valueName: 'host',
    type: 'string',
    defaultText: '127.0.0.1',
    defaultValue: '127.0.0.1',
    description: 'server: interface to listen on (use 0.0.0.0 in a container)',
    shells: ['prometheus'],
    parse: checkNonEmptyString,
    check: checkNonEmptyString,
  },
  {
    key: 'port',
    env: 'OTEL_EXPORTER_PROMETHEUS_PORT',
    valueName: 'port',
    type: 'number',
    defaultText: '9464',
    defaultValue: 9464,
    description: 'server: port; 0 picks a free one',
    shells: ['prometheus'],
    ...integerIn(0, 65535),
  },
  {
    key: 'endpoint',
    env: undefined,
    valueName: 'path',
    type: 'string',
    defaultText: '/metrics',
    defaultValue: '/metrics',
    description: 'server: path served; other paths get 404',
    shells: ['prometheus'],
  },
  {
    key: 'prefix',
    env: undefined,
    valueName: 'text',
    type: 'string',
    defaultText: undefined,
    description: 'prefix of every metric name (myapp gives myapp_gen_ai_...)',
    shells: ['prometheus'],
  },
  {
    key: 'withoutScopeInfo',
    env: undefined,
    valueName: 'boolean',
    type: 'boolean',
    defaultText: 'false',
    description: 'drop the otel_scope_name/otel_scope_version labels',
    shells: ['prometheus'],
    check: checkBoolean,
  },
  {
    key: 'withoutTargetInfo',
    env: undefined,
    valueName: 'boolean',
    type: 'boolean',
    defaultText: 'false',
    description: 'drop the target_info metric',
    shells: ['prometheus'],
    check: checkBoolean,
  },
];
