/**
 * Settings that may hold a secret (`--forward-headers`, `--auth-token`) are
 * never repeated in a message, whatever is wrong with them, from a flag or
 * from their variable (issue 9, attack finding 4: commander's own message
 * for a bad argument repeated the whole value). The message names the flag
 * or the variable and the problem; the exit status is 2, as `--help` says.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addSettingFlags,
  parseSecretFlags,
} from '../../src/cli/setting-flags.js';
import type { AnySetting } from '../../src/cli/settings-table.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../../src/gateway/gateway-settings.js';
import {
  chatAttributes,
  JSON_HEADERS,
  otlpJson,
} from '../gateway/helpers/otlp-json.js';
import { MAIN, cleanEnv } from '../gateway/helpers/gateway-process.js';
import { rawRequest } from '../gateway/helpers/raw-http.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../helpers/otlp-receiver.js';
import { runCli, startCli } from './run-cli.js';

const FLAGS = GATEWAY_SETTINGS as readonly unknown[] as readonly AnySetting[];
const SECRET = 's3cr3t-token';
const NEXT_HOP = ['--forward', 'http://127.0.0.1:9/v1/traces'];
const FORWARD_ENV = {
  OTEL_GENAI_COST_GATEWAY_FORWARD: 'http://127.0.0.1:9/v1/traces',
};

let sink: OtlpReceiver | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('secret settings are never repeated at start', () => {
  it('marks the settings that may hold a secret', () => {
    expect(
      FLAGS.filter(setting => setting.secret === true).map(
        setting => setting.flag,
      ),
    ).toEqual([
      '--forward',
      '--forward-headers',
      '--ledger',
      '--price-data-url',
      '--auth-token',
    ]);
  });

  it('the built command (dist, run by `npm run build`): a startup error never repeats a --forward-headers value', () => {
    const result = spawnSync(
      process.execPath,
      [
        MAIN,
        'gateway',
        '--listen',
        '127.0.0.1:0',
        ...NEXT_HOP,
        '--forward-headers',
        `authorization=Bearer%20${SECRET},x-b=%ZZ`,
      ],
      { env: cleanEnv(), encoding: 'utf8', timeout: 10_000 },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'error: --forward-headers: header "x-b": the value is not valid URL encoding',
    );
    expect(result.stderr).not.toContain(SECRET);
  });

  it.each([
    [
      'a bad --forward-headers flag',
      ['--forward-headers', `authorization=Bearer%20${SECRET},x-b=%ZZ`],
      {},
      '--forward-headers: header "x-b": the value is not valid URL encoding',
    ],
    [
      'a bad OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS',
      [],
      {
        OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: `authorization=Bearer%20${SECRET},x-b=%ZZ`,
      },
      'OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: header "x-b": the value is not valid URL encoding',
    ],
    [
      'a CR LF in the secret header itself',
      [
        '--forward-headers',
        `authorization=Bearer%20${SECRET}%0d%0ax-injected:%201`,
      ],
      {},
      '--forward-headers: header "authorization": the value contains a character HTTP does not allow (U+000D at position 19)',
    ],
    [
      'the secret header given twice (flag over variable)',
      [
        '--forward-headers',
        `authorization=Bearer%20${SECRET},Authorization=Bearer%20${SECRET}`,
      ],
      { OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: 'x-ok=1' },
      '--forward-headers: header "authorization" is given twice',
    ],
    [
      'credentials in a bad --forward URL',
      ['--forward', `ftp://bob:${SECRET}@collector/v1/traces`],
      {},
      '--forward: expected an http(s) URL, got "ftp://***@collector/v1/traces"',
    ],
    [
      'a blank --auth-token flag',
      ['--auth-token', '   '],
      {},
      '--auth-token: expected a non-empty value',
    ],
    [
      'a blank OTEL_GENAI_COST_GATEWAY_AUTH_TOKEN',
      [],
      { OTEL_GENAI_COST_GATEWAY_AUTH_TOKEN: ' \t ' },
      'OTEL_GENAI_COST_GATEWAY_AUTH_TOKEN: expected a non-empty value',
    ],
  ])(
    '%s: the message names the setting and the problem, exit status 2',
    async (_, args, env, message) => {
      const result = await runCli(['gateway', ...NEXT_HOP, ...args], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error: ${message}`);
      expect(result.stderr).not.toContain(SECRET);
      expect(result.stderr).not.toContain('Bearer');
      expect(result.stdout).not.toContain(SECRET);
    },
  );

  it('credentials in a bad OTEL_GENAI_COST_GATEWAY_FORWARD are not repeated either', async () => {
    const result = await runCli(['gateway'], {
      OTEL_GENAI_COST_GATEWAY_FORWARD: `ftp://bob:${SECRET}@collector/v1/traces`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: OTEL_GENAI_COST_GATEWAY_FORWARD: expected an http(s) URL, got "ftp://***@collector/v1/traces"',
    );
    expect(result.stderr).not.toContain(SECRET);
  });

  it('other settings still show the value they refuse (commander checks them), exit status 2', async () => {
    const result = await runCli([
      'gateway',
      ...NEXT_HOP,
      '--max-body-bytes',
      'huge',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "option '--max-body-bytes <bytes>' argument 'huge' is invalid",
    );
  });

  it('good secret values still work: the header reaches the next hop, the token is required', async () => {
    sink = await startOtlpReceiver();
    const child = startCli(
      [
        'gateway',
        '--listen',
        '127.0.0.1:0',
        '--forward',
        sink.url,
        '--forward-headers',
        `authorization=Bearer%20${SECRET},x-tenant=a%2Cb`,
      ],
      { OTEL_GENAI_COST_GATEWAY_AUTH_TOKEN: 'inbound-token' },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 20_000;
      while (!/receiving on (\S+)/.test(output) && Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`exited: ${output}`);
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      const url = /receiving on (\S+)/.exec(output)?.[1] as string;
      const body = otlpJson([
        {
          traceId: '56'.repeat(16),
          spanId: '78'.repeat(8),
          name: 'chat gpt-4o-mini',
          startMillis: 0,
          endMillis: 100,
          attributes: chatAttributes(1000, 200),
        },
      ]);
      const refused = await rawRequest(url, { headers: JSON_HEADERS, body });
      expect(refused.status).toBe(401);
      const accepted = await rawRequest(url, {
        headers: { ...JSON_HEADERS, authorization: 'Bearer inbound-token' },
        body,
      });
      expect(accepted.status).toBe(200);
      expect(sink.accepted).toHaveLength(1);
      expect(sink.accepted[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(sink.accepted[0]?.headers['x-tenant']).toBe('a,b');
      expect(output).not.toContain(SECRET);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'close');
    }
  }, 30_000);
});

/**
 * Parses argv as the gateway command does, then resolves the options with
 * `env` as `startGateway` does (variables are read there, not by
 * commander), in process.
 */
function parseGatewayFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  const command = new Command('gateway').exitOverride();
  let printed = '';
  command.configureOutput({
    writeOut: text => (printed += text),
    writeErr: text => (printed += text),
  });
  addSettingFlags(command, FLAGS);
  try {
    command.parse(['node', 'gateway', ...argv]);
    const flags = parseSecretFlags(command.opts(), FLAGS);
    resolveGatewayOptions({ ...flags, env: { ...FORWARD_ENV, ...env } });
    return printed;
  } catch (error) {
    return `${printed}\n${(error as Error).message}`;
  }
}

describe('generated bad header lists never show the secret', () => {
  const secret = fc
    .stringMatching(/^[A-Za-z0-9._~+/-]{6,24}$/)
    .map(text => `Zq${text}Qz`);
  /** Pairs that are refused, some carrying the secret in their value. */
  const badPair = (value: string): fc.Arbitrary<string> =>
    fc.constantFrom(
      `x-b=${value}%ZZ`,
      `x-b=%C3%28${value}`,
      `x-b=${value}%0d%0ainjected:%201`,
      `x-b=${value}%00`,
      `x-b=${value}%E2%82%AC`,
      `content-type=${value}`,
      `bad@name=${value}`,
      `bad name=${value}`,
      `=${value}`,
      `authorization=Bearer%20${value},AUTHORIZATION=${value}`,
    );
  const headerList = secret.chain(value =>
    fc
      .tuple(
        fc.array(
          fc.constantFrom('x-a=1', `authorization=Bearer%20${value}`, ''),
          { maxLength: 3 },
        ),
        badPair(value),
        fc.array(fc.constantFrom('x-c=2', `x-key=${value}`), {
          maxLength: 3,
        }),
      )
      .map(([before, bad, after]) => ({
        value,
        list: [...before, bad, ...after].join(','),
      })),
  );

  it('from the flag', () => {
    fc.assert(
      fc.property(headerList, ({ value, list }) => {
        const printed = parseGatewayFlags(['--forward-headers', list]);
        expect(printed).toMatch(/--forward-headers: /);
        expect(printed).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });

  it('from the variable', () => {
    fc.assert(
      fc.property(headerList, ({ value, list }) => {
        const printed = parseGatewayFlags([], {
          OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: list,
        });
        expect(printed).toMatch(/OTEL_GENAI_COST_GATEWAY_FORWARD_HEADERS: /);
        expect(printed).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });
});
