/**
 * Finds a service binary a test needs (Prometheus, promtool, ...). On a
 * machine without it the test is skipped with one line naming the binary
 * and how to install it, so `npm ci && npm test` passes with Node.js alone;
 * under CI (`CI=true`), where `.ci/run` installs every such package, a
 * missing binary is an error, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const announced = new Set<string>();

export interface ServiceBinary {
  /** Name on PATH, e.g. `promtool`. */
  readonly name: string;
  /** The Debian package that ships it, e.g. `prometheus`. */
  readonly debianPackage: string;
  /** Where Debian puts it when it is not on PATH. */
  readonly paths?: readonly string[];
}

/** The binary's path, or undefined (after one line saying so) when absent. */
export function serviceBinary(binary: ServiceBinary): string | undefined {
  const which = spawnSync('sh', ['-c', `command -v ${binary.name}`], {
    encoding: 'utf8',
  });
  const found = which.stdout.trim();
  if (found !== '') return found;
  for (const path of binary.paths ?? [`/usr/bin/${binary.name}`]) {
    if (existsSync(path)) return path;
  }
  const how = `apt-get install -y ${binary.debianPackage}`;
  if (process.env.CI === 'true') {
    throw new Error(
      `${binary.name} not found under CI: .ci/run must install it (${how})`,
    );
  }
  if (!announced.has(binary.name)) {
    announced.add(binary.name);
    process.stderr.write(
      `skipped: tests that need ${binary.name} (not found; install it with: ${how})\n`,
    );
  }
  return undefined;
}
