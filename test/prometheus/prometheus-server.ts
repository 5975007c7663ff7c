/**
 * A real Prometheus (Debian's `prometheus` package, /usr/bin/prometheus) on
 * 127.0.0.1 with a temp storage dir, scraping the targets a test gives it
 * every second, and a small client for its HTTP query API. Without the
 * binary the tests skip with one line (an error under CI, which installs
 * the package because test/prometheus/needs-prometheus exists).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serviceBinary } from '../helpers/service-binary.js';

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusProcess {
  readonly url: string;
  /** Instant query; `time` in seconds since the epoch (ms precision). */
  query(promql: string, time?: number): Promise<Sample[]>;
  /** Polls `promql` until `accept` returns true; fails with the last result after `timeoutMillis`. */
  waitFor(
    promql: string,
    accept: (samples: Sample[]) => boolean,
    timeoutMillis?: number,
  ): Promise<Sample[]>;
  stop(): Promise<void>;
}

/** The prometheus binary: PATH first, then the Debian location (see `serviceBinary`). */
export function prometheusBinary(
  name: 'prometheus' | 'promtool' = 'prometheus',
): string | undefined {
  return serviceBinary({ name, debianPackage: 'prometheus' });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>(resolve => server.close(() => resolve()));
  if (address === null || typeof address === 'string')
    throw new Error('no port');
  return address.port;
}

export async function startPrometheus(
  targets: Readonly<Record<string, string>>,
): Promise<PrometheusProcess> {
  const binary = prometheusBinary();
  if (binary === undefined) throw new Error('prometheus is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'otel-genai-cost-prom-'));
  const scrapeConfigs = Object.entries(targets)
    .map(
      ([job, target]) =>
        `  - job_name: ${job}\n    metrics_path: ${new URL(target).pathname}\n` +
        `    static_configs:\n      - targets: ['${new URL(target).host}']\n`,
    )
    .join('');
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${scrapeConfigs}`,
  );
  let lastError: unknown;
  // The free port can be taken between probing and binding: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const log: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.length > 200) log.shift();
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitReady(url, child, log);
      return client(url, child, dir);
    } catch (error) {
      lastError = error;
      await kill(child);
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitReady(
  url: string,
  child: ChildProcess,
  log: string[],
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `prometheus exited (${child.exitCode}):\n${log.join('')}`,
      );
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`prometheus not ready after 30s:\n${log.join('')}`);
}

function client(
  url: string,
  child: ChildProcess,
  dir: string,
): PrometheusProcess {
  const query = async (promql: string, time?: number): Promise<Sample[]> => {
    const params = new URLSearchParams({ query: promql });
    if (time !== undefined) params.set('time', time.toFixed(3));
    const response = await fetch(`${url}/api/v1/query?${params.toString()}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: {
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[];
      };
    };
    if (body.status !== 'success' || body.data === undefined) {
      throw new Error(
        `query failed: ${promql}: ${body.error ?? response.status}`,
      );
    }
    if (body.data.resultType !== 'vector')
      throw new Error(`not a vector: ${promql}`);
    return body.data.result.map(item => ({
      metric: item.metric,
      value: Number(item.value[1]),
    }));
  };
  return {
    url,
    query,
    async waitFor(promql, accept, timeoutMillis = 30_000) {
      const deadline = Date.now() + timeoutMillis;
      let last: Sample[] = [];
      while (Date.now() < deadline) {
        last = await query(promql);
        if (accept(last)) return last;
        await sleep(200);
      }
      throw new Error(
        `timed out waiting on ${promql}; last result ${JSON.stringify(last)}`,
      );
    },
    async stop() {
      await kill(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(escalate);
}
