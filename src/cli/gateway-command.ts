import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startGateway } from '../gateway/cost-gateway.js';
import type { GatewayOptions } from '../gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../gateway/gateway-settings.js';

/**
 * Every variable the gateway reads besides its own settings table: shared
 * with the span processor (docs/configuration.md). A test checks that the
 * gateway reads nothing that is missing here.
 */
export const GATEWAY_SHARED_ENVIRONMENT: Readonly<Record<string, string>> = {
  OTEL_GENAI_COST_PRICES_FILE:
    'price overrides file when --prices is not given',
  OTEL_GENAI_COST_HMAC_SECRET: 'pseudonymize user ids and e-mails (hmac:<hex>)',
  OTEL_GENAI_COST_PSEUDONYMIZE_KEYS:
    'tags pseudonymized with the secret (default userId)',
  OTEL_GENAI_COST_ALLOW_RAW_EMAIL: 'write e-mail addresses raw (default false)',
  OTEL_GENAI_COST_TAG_KEYS: 'extra attribution tags to keep (comma-separated)',
  OTEL_GENAI_COST_MAX_TAG_LENGTH: 'longer tag values are cut (default 128)',
  OTEL_GENAI_COST_ALIASES: 'extra attribute sets, e.g. openinference',
  OTEL_GENAI_COST_PROPAGATION:
    'read by the shared options; no effect in the gateway',
  OTEL_GENAI_COST_METRICS_TENANTS:
    '--metrics: tenants that keep their own label',
  OTEL_GENAI_COST_METRICS_TENANT_BUCKETS:
    '--metrics: hash buckets for the other tenants',
  OTEL_GENAI_COST_METRICS_TENANT_TOP_K:
    '--metrics: name the first K tenants seen',
  OTEL_GENAI_COST_METRICS_PLANS: '--metrics: plans that keep their own label',
  OTEL_GENAI_COST_METRICS_MODELS: '--metrics: models that keep their own label',
  OTEL_GENAI_COST_METRICS_PROVIDERS:
    '--metrics: providers that keep their own label',
  OTEL_GENAI_COST_METRICS_MAX_LABEL_SETS:
    '--metrics: label sets at most (default 300)',
  OTEL_LOG_LEVEL: 'gateway log level (default warn)',
};

const MORE_ENVIRONMENT = `
Every flag can also be set by the environment variable shown with it.
Shared with the span processor (see docs/configuration.md):
${Object.entries(GATEWAY_SHARED_ENVIRONMENT)
  .map(([name, text]) => `  ${name.padEnd(40)} ${text}`)
  .join('\n')}

Slow senders: headers, then the whole body, must each arrive within
--body-timeout-seconds (else 408, connection closed); a body still arriving
holds a reading slot (--max-reading-requests), never a queue slot.

Exactly once: LLM spans are priced once per (trace, span) within
--trace-window-seconds, across requests and redeliveries; a 200 is sent
only after the next hop accepted the data (never lost once acknowledged).

Example:
  otel-genai-cost gateway --listen 0.0.0.0:4318 \\
    --forward http://collector:4320/v1/traces --metrics 0.0.0.0:9464
`;

/** `otel-genai-cost gateway`: the OTLP/HTTP cost gateway, until SIGTERM. */
export function registerGatewayCommand(program: Command): void {
  const command = program
    .command('gateway')
    .description(
      'receive OTLP/HTTP traces, price LLM spans, forward everything to the next hop',
    );
  for (const setting of GATEWAY_SETTINGS) {
    const defaultText =
      setting.defaultText === undefined
        ? ''
        : ` (default: ${setting.defaultText})`;
    command.addOption(
      new Option(
        `${setting.flag} <${setting.valueName}>`,
        `${setting.description}${defaultText}`,
      )
        .env(setting.env)
        .argParser(raw => {
          try {
            return setting.parse(raw);
          } catch (error) {
            throw new InvalidArgumentError((error as Error).message);
          }
        }),
    );
  }
  command.addHelpText('after', MORE_ENVIRONMENT);
  command.action(async (flags: GatewayOptions) => {
    diag.setLogger(
      new DiagConsoleLogger(),
      logLevel(process.env.OTEL_LOG_LEVEL),
    );
    const gateway = await startGateway(flags).catch((error: unknown) =>
      command.error(`error: ${(error as Error).message}`, { exitCode: 2 }),
    );
    console.log(`otel-genai-cost gateway: receiving on ${gateway.url}`);
    if (gateway.metricsUrl !== undefined) {
      console.log(`otel-genai-cost gateway: metrics on ${gateway.metricsUrl}`);
    }
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        console.error(`otel-genai-cost gateway: ${signal} again, exiting now`);
        process.exit(1);
      }
      stopping = true;
      console.log(
        `otel-genai-cost gateway: ${signal}, finishing requests in progress`,
      );
      gateway.shutdown().then(
        () => console.log('otel-genai-cost gateway: stopped'),
        (error: unknown) => {
          console.error('otel-genai-cost gateway: shutdown failed', error);
          process.exitCode = 1;
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

function logLevel(raw: string | undefined): DiagLogLevel {
  switch (raw?.trim().toLowerCase()) {
    case 'none':
      return DiagLogLevel.NONE;
    case 'error':
      return DiagLogLevel.ERROR;
    case 'info':
      return DiagLogLevel.INFO;
    case 'debug':
      return DiagLogLevel.DEBUG;
    case 'verbose':
    case 'all':
      return DiagLogLevel.VERBOSE;
    default:
      return DiagLogLevel.WARN;
  }
}
