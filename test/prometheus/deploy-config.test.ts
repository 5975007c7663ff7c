/** promtool (Debian's prometheus package) checks the shipped Prometheus config and rules. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { prometheusBinary } from './prometheus-server.js';

const promtoolPath = prometheusBinary('promtool');

function promtool(...args: string[]): {
  status: number | null;
  output: string;
} {
  const result = spawnSync(promtoolPath ?? 'promtool', args, {
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(promtoolPath === undefined)('promtool', () => {
  it('deploy/prometheus.yml is a valid config (with its rule file)', () => {
    const result = promtool('check', 'config', 'deploy/prometheus.yml');
    expect(result.output).toContain(
      'SUCCESS: deploy/prometheus.yml is valid prometheus config file syntax',
    );
    expect(result.status, result.output).toBe(0);
  });

  it('deploy/prometheus-rules.yml has valid recording rules and alerts', () => {
    const result = promtool('check', 'rules', 'deploy/prometheus-rules.yml');
    expect(result.output).toContain('SUCCESS: 4 rules found');
    expect(result.status, result.output).toBe(0);
  });

  it('promtool itself rejects a broken config (the check can fail)', () => {
    const result = spawnSync(
      promtoolPath ?? 'promtool',
      ['check', 'config', '/dev/stdin'],
      {
        input: 'scrape_configs:\n  - job_name: x\n    scrape_interval: often\n',
        encoding: 'utf8',
      },
    );
    expect(result.status).not.toBe(0);
  });
});
