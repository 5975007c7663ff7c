/**
 * The built CLI's gateway as a child process, for the tests that need a
 * real process (a heap limit, resident memory, signals): spawns
 * `node --max-old-space-size=<heap> dist/esm/cli/main.js gateway ...` with
 * no OTEL_* variables from the test's environment, waits for its
 * "receiving on" line, and reads its memory from /proc (Linux).
 * Needs `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI entry point. */
export const MAIN = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'dist',
  'esm',
  'cli',
  'main.js',
);

/** The test's environment without OTEL_* variables, plus `extra`. */
export function cleanEnv(
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) env[key] = value;
  }
  return { ...env, ...extra };
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  return statusKiB(pid, 'VmRSS') / 1024;
}

/** Peak resident memory of a process so far, in MiB (Linux). */
export function peakRssMiB(pid: number): number {
  return statusKiB(pid, 'VmHWM') / 1024;
}

/** Waits until `check` holds, polling every 20 ms, for at most `millis`. */
export async function waitFor(
  check: () => boolean,
  millis: number,
): Promise<boolean> {
  const deadline = Date.now() + millis;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return true;
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `http://127.0.0.1:<port>/v1/traces`, from the "receiving on" line. */
  readonly url: string;
  readonly port: number;
  /** `/healthz`, `/readyz` or another path on the gateway's port. */
  urlOf(path: string): string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Sends `signal` and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL if still running (for `afterEach`). */
  kill(): Promise<void>;
}

export interface GatewayProcessOptions {
  /** `--max-old-space-size`, in MiB. @defaultValue 1024 */
  readonly heapMiB?: number;
  /** Variables added to the clean environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts `gateway --listen 127.0.0.1:0 --forward <forward> ...args` and
 * resolves once it is receiving; rejects (after killing it) if it exits or
 * does not start within 15 s.
 */
export async function startGatewayProcess(
  forward: string,
  args: readonly string[] = [],
  options: GatewayProcessOptions = {},
): Promise<GatewayProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run build`);
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${options.heapMiB ?? 1024}`,
      MAIN,
      'gateway',
      '--listen',
      '127.0.0.1:0',
      '--forward',
      forward,
      ...args,
    ],
    { env: cleanEnv(options.env) },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = once(child, 'close');
  const alive = (): boolean => child.exitCode === null && !child.signalCode;
  const kill = async (): Promise<void> => {
    if (alive()) child.kill('SIGKILL');
    await closed;
  };
  const started = await waitFor(
    () => /receiving on (\S+)/.test(output) || !alive(),
    15_000,
  );
  const url = /receiving on (\S+)/.exec(output)?.[1];
  if (!started || url === undefined || !alive()) {
    await kill();
    throw new Error(`the gateway did not start:\n${output}`);
  }
  return {
    child,
    pid: child.pid as number,
    url,
    port: Number(new URL(url).port),
    urlOf: path => new URL(path, url).toString(),
    output: () => output,
    alive,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      const [code] = (await closed) as [number | null];
      return code;
    },
    kill,
  };
}
