/**
 * A private PostgreSQL 15 cluster for one test file: `initdb` in a temp
 * folder (fsync off: tests need speed, not durability), started on a free
 * 127.0.0.1 port, stopped and removed at the end. Never a system service,
 * never a fixed port. As root (containers, `.ci/run`) the server runs as
 * the `postgres` user, since it refuses root. Without the binaries the
 * tests skip with one line (a failure under OTEL_GENAI_COST_REQUIRE_SERVICES=1).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serviceBinary } from './service-binary.js';

const BIN_DIRS = [15, 16, 17, 14, 13].map(
  version => `/usr/lib/postgresql/${version}/bin`,
);

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** A fresh database on this server, and its URL. */
  createDatabase(name: string): string;
  /** `pg_ctl stop -m <mode>`: `immediate` is a crash (no shutdown checkpoint). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port and data. */
  start(): void;
  /** Stops it (if running) and removes its folder. */
  remove(): void;
}

function asPostgres(command: string, args: readonly string[]): string[] {
  return process.getuid?.() === 0
    ? ['runuser', '-u', 'postgres', '--', command, ...args]
    : [command, ...args];
}

function run(command: string, args: readonly string[]): string {
  const [file, ...rest] = asPostgres(command, args) as [string, ...string[]];
  return execFileSync(file, rest, { encoding: 'utf8', stdio: 'pipe' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** The `initdb` path, or undefined (after one line) when PostgreSQL is missing. */
export function postgresBinary(): string | undefined {
  return serviceBinary({
    name: 'initdb',
    debianPackage: 'postgresql-15',
    paths: BIN_DIRS.map(dir => join(dir, 'initdb')),
  });
}

export interface PostgresServerOptions {
  /**
   * Keep fsync and full-page writes on (benchmarks: commits cost what they
   * cost in production). Tests leave them off for speed. @defaultValue false
   */
  readonly durable?: boolean;
}

/** Starts a private cluster; undefined when PostgreSQL is not installed. */
export async function startPostgresServer(
  options: PostgresServerOptions = {},
): Promise<PostgresServer | undefined> {
  const initdb = postgresBinary();
  if (initdb === undefined) return undefined;
  // A symlink on PATH (/usr/local/bin/initdb): pg_ctl and psql sit by the real one.
  const bin = dirname(realpathSync(initdb));
  const pgCtl = join(bin, 'pg_ctl');
  const root = mkdtempSync(join(tmpdir(), 'ledger-pg-'));
  chmodSync(root, 0o755);
  if (process.getuid?.() === 0) {
    const uid = Number(
      spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout,
    );
    const gid = Number(
      spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout,
    );
    chownSync(root, uid, gid);
  }
  const data = join(root, 'data');
  run(initdb, [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await freePort();
  let running = false;
  const start = (): void => {
    run(pgCtl, [
      '-D',
      data,
      '-l',
      join(root, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 ${options.durable === true ? '' : '-c fsync=off -c full_page_writes=off '}-c max_connections=40 -c shared_buffers=128MB -c max_wal_size=4GB`,
      'start',
    ]);
    running = true;
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast'): void => {
    if (!running) return;
    run(pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  start();
  const psql = join(bin, 'psql');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    createDatabase: name => {
      run(psql, [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-q',
        '-c',
        `CREATE DATABASE "${name}"`,
      ]);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    remove: () => {
      try {
        stop('immediate');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
