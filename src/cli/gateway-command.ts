import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { Command } from 'commander';
import { resolveSettings } from '../config/resolve-settings.js';
import { startGateway } from '../gateway/cost-gateway.js';
import type { GatewayOptions } from '../gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../gateway/gateway-settings.js';
import {
  addSettingFlags,
  parseSecretFlags,
  withDeprecatedFlags,
} from './setting-flags.js';
import {
  deprecatedNames,
  LOG_LEVEL_SETTING,
  sharedGatewayEnvironment,
  type AnySetting,
  type LogLevel,
} from './settings-table.js';

const FLAGS = GATEWAY_SETTINGS as readonly unknown[] as readonly AnySetting[];

/**
 * Every variable the gateway reads besides its flags' own, from the
 * settings table: shared with the span processor (docs/configuration.md).
 * A test checks that the gateway reads nothing that is missing here.
 */
export const GATEWAY_SHARED_ENVIRONMENT: Readonly<Record<string, string>> =
  Object.fromEntries(
    sharedGatewayEnvironment().map(setting => [
      setting.env as string,
      `${setting.description}${setting.defaultText === undefined ? '' : ` (default: ${setting.defaultText})`}`,
    ]),
  );

/** `  NAME   text`, the text wrapped at 80 columns under itself. */
function entry(name: string, text: string): string {
  const indent = ' '.repeat(43);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + word.length >= 80) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return `  ${name.padEnd(40)} ${lines.join(`\n${indent}`)}`;
}

const MORE_ENVIRONMENT = `
Every flag can also be set by the environment variable shown with it.
Shared with the span processor (see docs/configuration.md):
${Object.entries(GATEWAY_SHARED_ENVIRONMENT)
  .map(([name, text]) => entry(name, text))
  .join('\n')}

Old names, still read with a warning:
${deprecatedNames([...FLAGS, ...sharedGatewayEnvironment()])
  .filter(([old]) => !old.startsWith('option '))
  .map(([old, current]) => `  ${old.padEnd(40)} now ${current}`)
  .join('\n')}

Every value is checked at start: a bad one stops the gateway with a
message naming the flag or variable (exit status 2); the values of
--forward-headers and --auth-token are never repeated.

Slow senders: headers, then the body's last byte, must each arrive within
--body-timeout-seconds (else 408, connection closed); the gateway's own
work on a body that has arrived (inflating, decoding, forwarding) is not
timed. A body still arriving or inflating holds a reading slot
(--max-reading-requests), never a queue slot.

OTLP/gRPC (--listen-grpc, needs the @grpc/grpc-js package): the same
accept path, limits and exactly-once memory as OTLP/HTTP; the message limit
is --max-decompressed-bytes; UNAVAILABLE with retry info while the next hop
is down, INVALID_ARGUMENT, RESOURCE_EXHAUSTED (limits), UNAUTHENTICATED.

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
      'receive OTLP/HTTP (and OTLP/gRPC) traces, price LLM spans, forward everything to the next hop',
    );
  addSettingFlags(command, FLAGS);
  command.addHelpText('after', MORE_ENVIRONMENT);
  command.action(async (flags: GatewayOptions) => {
    let level: LogLevel = 'warn';
    try {
      level =
        resolveSettings([LOG_LEVEL_SETTING], {
          options: {},
          env: process.env,
          onInvalid: { kind: 'fail', error: message => new Error(message) },
        }).logLevel ?? level;
    } catch (error) {
      command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
    }
    diag.setLogger(new DiagConsoleLogger(), logLevel(level));
    let secrets: GatewayOptions = flags;
    try {
      secrets = parseSecretFlags(flags, FLAGS);
    } catch (error) {
      command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
    }
    const options = withDeprecatedFlags(secrets, FLAGS);
    const gateway = await startGateway(options).catch((error: unknown) =>
      command.error(`error: ${(error as Error).message}`, { exitCode: 2 }),
    );
    console.log(`otel-genai-cost gateway: receiving on ${gateway.url}`);
    if (gateway.grpcAddress !== undefined) {
      console.log(
        `otel-genai-cost gateway: receiving OTLP/gRPC on ${gateway.grpcAddress}`,
      );
    }
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

function logLevel(level: LogLevel): DiagLogLevel {
  switch (level) {
    case 'none':
      return DiagLogLevel.NONE;
    case 'error':
      return DiagLogLevel.ERROR;
    case 'warn':
      return DiagLogLevel.WARN;
    case 'info':
      return DiagLogLevel.INFO;
    case 'debug':
      return DiagLogLevel.DEBUG;
    case 'verbose':
    case 'all':
      return DiagLogLevel.VERBOSE;
  }
}
