/**
 * Finds a service binary a test needs (Prometheus, promtool, ...). On a
 * machine without it the test is skipped with one line naming the binary
 * and how to install it, so `npm ci && npm test` passes with Node.js alone.
 * Under `OTEL_GENAI_COST_REQUIRE_SERVICES=1`, which `.ci/run` exports after
 * installing every such package, a missing binary is an error, never a skip.
 * (Not `CI=true`: GitHub Actions and GitLab set that on every job, where
 * `npm ci && npm test` must still pass without Prometheus.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const announced = new Set<string>();

/** Set to `1` (by `.ci/run`) to turn a missing binary into a failure. */
export const REQUIRE_SERVICES = 'OTEL_GENAI_COST_REQUIRE_SERVICES';

const servicesRequired = (): boolean => process.env[REQUIRE_SERVICES] === '1';

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
  if (servicesRequired()) {
    throw new Error(
      `${binary.name} not found and ${REQUIRE_SERVICES}=1: .ci/run must install it (${how})`,
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
