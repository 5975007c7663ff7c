/**
 * Issue 9, case 1 at full size against the built CLI under a 1 GiB heap:
 * the reported 64 KB gzip body (63 MiB of empty `ResourceSpans` and one
 * span) used to run the gateway out of heap; now it answers 413 at once,
 * the process stays small, and honest senders are served right after.
 * Needs `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyResourceSpans } from '../helpers/hostile-bodies.js';
import { chatAttributes, otlpJson } from '../helpers/otlp-json.js';
import { startOtlpSink, type OtlpSink } from '../helpers/otlp-sink.js';
import { rawRequest, rpcStatusOf } from '../helpers/raw-http.js';

const MAIN = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'dist',
  'esm',
  'cli',
  'main.js',
);

let sink: OtlpSink | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'close');
  }
  child = undefined;
  await sink?.close();
  sink = undefined;
});

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) env[key] = value;
  }
  return env;
}

/** Peak resident memory of a process so far, in MiB (Linux). */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

async function waitFor(check: () => boolean, millis: number): Promise<boolean> {
  const deadline = Date.now() + millis;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return true;
}

describe('issue 9, case 1, full size, under --max-old-space-size=1024', () => {
  it('the 64 KB request of 33 million empty ResourceSpans answers 413 and the gateway keeps serving', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: npm run build`).toBe(true);
    // Exactly the reported body: 63 MiB of 0x0a 0x00, then one span.
    const body = gzipSync(emptyResourceSpans(63 << 20), { level: 9 });
    expect(body.length).toBeLessThan(70_000);
    sink = await startOtlpSink();
    const started = spawn(
      process.execPath,
      [
        '--max-old-space-size=1024',
        MAIN,
        'gateway',
        '--listen',
        '127.0.0.1:0',
        '--forward',
        sink.url,
      ],
      { env: cleanEnv() },
    );
    child = started;
    let output = '';
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(
      await waitFor(
        () => /receiving on (\S+)/.test(output) || started.exitCode !== null,
        15_000,
      ),
    ).toBe(true);
    const url = /receiving on (\S+)/.exec(output)?.[1] as string;

    for (let round = 0; round < 3; round++) {
      const response = await rawRequest(url, {
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
        },
        body,
      });
      expect(response.status).toBe(413);
      expect(rpcStatusOf(response).message).toContain(
        '(--max-items-per-request)',
      );
    }
    expect(started.exitCode).toBe(null);
    expect(sink.received).toHaveLength(0);
    // The report saw 2.1 GB for a 16 MiB body; the walk allocates nothing
    // per message, so the process stays near the body's own size.
    expect(peakRssMiB(started.pid as number)).toBeLessThan(512);

    const healthz = await rawRequest(url.replace('/v1/traces', '/healthz'), {
      method: 'GET',
    });
    expect(healthz.status).toBe(200);
    const honest = await rawRequest(url, {
      headers: { 'content-type': 'application/json' },
      body: otlpJson([
        {
          traceId: 'ab'.repeat(16),
          spanId: 'cd'.repeat(8),
          name: 'chat gpt-4o-mini',
          startMillis: 0,
          endMillis: 10,
          attributes: chatAttributes(1000, 200),
        },
      ]),
    });
    expect(honest.status).toBe(200);
    expect(sink.accepted).toHaveLength(1);
  }, 60_000);
});
