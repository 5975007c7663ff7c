import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startGateway } from '../gateway/cost-gateway.js';
import type { GatewayOptions } from '../gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../gateway/gateway-settings.js';

const MORE_ENVIRONMENT = `
Every flag can also be set by the environment variable shown with it.
Shared with the span processor (see docs/configuration.md):
  OTEL_GENAI_COST_PRICES_FILE         price overrides file when --prices is not given
  OTEL_GENAI_COST_HMAC_SECRET         pseudonymize user ids and e-mails (hmac:<hex>)
  OTEL_GENAI_COST_TAG_KEYS            extra attribution tags to keep (comma-separated)
  OTEL_GENAI_COST_ALLOW_RAW_EMAIL     write e-mail addresses raw (default false)
  OTEL_GENAI_COST_ALIASES             extra attribute sets, e.g. openinference
  OTEL_GENAI_COST_METRICS_*           label policy of the --metrics counters
  OTEL_LOG_LEVEL                      gateway log level (default warn)

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
