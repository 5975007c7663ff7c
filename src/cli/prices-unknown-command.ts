import { InvalidArgumentError, type Command } from 'commander';

/** `/healthz` bodies larger than this are refused. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 5;

interface UnknownFlags {
  readonly from: URL;
  readonly timeoutSeconds: number;
  readonly json?: boolean;
}

interface UnpricedRow {
  readonly reason: string;
  readonly provider: string;
  readonly model: string;
  readonly calls: number;
}

function baseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError(
      'expected the gateway base URL, such as http://127.0.0.1:4318',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  return url;
}

function seconds(raw: string): number {
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(value > 0) || value > 600)
    throw new InvalidArgumentError('expected seconds, above 0 and at most 600');
  return value;
}

/**
 * `otel-genai-cost prices unknown --from <gateway URL>`: the models a
 * running gateway left unpriced (its `/healthz`), with the reason, the
 * number of calls and an override to start from. Attaches to an existing
 * `prices` command, or creates it.
 */
export function registerPricesUnknownCommand(program: Command): void {
  const prices =
    program.commands.find(command => command.name() === 'prices') ??
    program.command('prices').description('inspect the price data');
  prices
    .command('unknown')
    .description(
      'the models a running gateway left unpriced (its GET /healthz), with their reason, calls and an override to add',
    )
    .requiredOption(
      '--from <url>',
      'the gateway base URL, such as http://127.0.0.1:4318',
      baseUrl,
    )
    .option(
      '--timeout-seconds <seconds>',
      `give up after this long (default: ${DEFAULT_TIMEOUT_SECONDS})`,
      seconds,
      DEFAULT_TIMEOUT_SECONDS,
    )
    .option('--json', 'print the list as JSON')
    .action(async (flags: UnknownFlags) => {
      const target = new URL('healthz', withSlash(flags.from));
      let rows: UnpricedRow[];
      let overflow: number;
      try {
        const body = await fetchJson(target, flags.timeoutSeconds);
        ({ rows, overflow } = unpricedOf(body));
      } catch (error) {
        console.error(
          `otel-genai-cost: cannot read ${target.href}: ${(error as Error).message}`,
        );
        process.exitCode = 1;
        return;
      }
      if (flags.json === true) {
        console.log(
          JSON.stringify({ unpriced: rows, overflowCalls: overflow }),
        );
        return;
      }
      console.log(render(rows, overflow));
    });
}

function withSlash(url: URL): URL {
  const copy = new URL(url.href);
  copy.search = '';
  copy.hash = '';
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}

async function fetchJson(url: URL, timeoutSeconds: number): Promise<unknown> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutSeconds * 1000),
    redirect: 'error',
  }).catch((error: unknown) => {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    const name = (error as Error).name;
    throw new Error(
      name === 'TimeoutError'
        ? `no answer within ${timeoutSeconds} s`
        : `unreachable (${cause ?? (error as Error).message})`,
      { cause: error },
    );
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}, expected 200`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const { done, value } = (await reader?.read()) ?? { done: true };
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader?.cancel();
        throw new Error(`answer larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      throw new Error(`no answer within ${timeoutSeconds} s`, {
        cause: error,
      });
    throw error;
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new Error('the answer is not JSON', { cause: error });
  }
}

function unpricedOf(body: unknown): { rows: UnpricedRow[]; overflow: number } {
  const list = (body as { unpriced?: unknown } | null)?.unpriced;
  if (!Array.isArray(list))
    throw new Error(
      'the answer has no "unpriced" list (not an otel-genai-cost gateway, or an older one)',
    );
  const rows = list.filter(
    (row): row is UnpricedRow =>
      typeof row === 'object' &&
      row !== null &&
      typeof (row as UnpricedRow).reason === 'string' &&
      typeof (row as UnpricedRow).provider === 'string' &&
      typeof (row as UnpricedRow).model === 'string' &&
      Number.isSafeInteger((row as UnpricedRow).calls),
  );
  const overflow = (body as { unpricedOverflowCalls?: unknown })
    .unpricedOverflowCalls;
  return {
    rows: rows.map(({ reason, provider, model, calls }) => ({
      reason,
      provider,
      model,
      calls,
    })),
    overflow: Number.isSafeInteger(overflow) ? (overflow as number) : 0,
  };
}

function render(rows: readonly UnpricedRow[], overflow: number): string {
  if (rows.length === 0)
    return 'No unpriced calls seen since the gateway started.';
  const lines = ['calls\treason\tprovider\tmodel'];
  for (const row of rows) {
    lines.push(
      `${row.calls}\t${row.reason}\t${printable(row.provider) || '-'}\t${printable(row.model) || '-'}`,
    );
  }
  if (overflow > 0)
    lines.push(
      `(${overflow} more calls of models not recorded: the gateway keeps 1000)`,
    );
  const unknown = rows.find(row => row.reason === 'unknown_model' && row.model);
  if (unknown !== undefined) {
    const example = {
      ...(unknown.provider ? { provider: unknown.provider } : {}),
      model: unknown.model,
      inputPerMTokUsd: 0,
      outputPerMTokUsd: 0,
    };
    lines.push(
      '',
      "Add a price override for each unknown_model (USD per million tokens, from the provider's price page), e.g. in the file named by OTEL_GENAI_COST_PRICE_OVERRIDES_FILE:",
      `  ${JSON.stringify(example)}`,
    );
  }
  return lines.join('\n');
}

/** Ids come from spans: no control characters on the terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
