/**
 * A private Redis for one test file: `redis-server` on a free 127.0.0.1
 * port in a temp folder, nothing persisted (`--save ''`, no AOF, unless
 * `persist`), killed
 * and removed at the end. Never a system service, never a fixed port.
 * Without the binary the tests skip with one line (a failure under
 * OTEL_GENAI_COST_REQUIRE_SERVICES=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres-server.js';
import { serviceBinary } from './service-binary.js';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL: a crash, nothing saved) and waits for its exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a hung server that keeps its connections open. */
  pause(): void;
  resume(): void;
  /** Kills it (if running) and removes its folder. */
  remove(): Promise<void>;
}

/** The `redis-server` path, or undefined (after one line) when it is missing. */
export function redisBinary(): string | undefined {
  return serviceBinary({ name: 'redis-server', debianPackage: 'redis-server' });
}

/** Answers PING with +PONG within the time, else false. */
function ping(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', data => done(data.toString().startsWith('+PONG')));
  });
}

export interface RedisServerOptions {
  /**
   * Keep the data across a kill: an append-only file fsynced before each
   * reply (`--appendonly yes --appendfsync always`), as a production Redis
   * that must not lose acknowledged writes.
   */
  readonly persist?: boolean;
}

/** Starts a private server; undefined when redis-server is not installed. */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServer | undefined> {
  const binary = redisBinary();
  if (binary === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'budget-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(options.persist === true
          ? ['--appendonly', 'yes', '--appendfsync', 'always']
          : ['--appendonly', 'no']),
        '--dir',
        dir,
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise(resolve => running.once('exit', resolve));
    running.kill('SIGCONT');
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    remove: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
