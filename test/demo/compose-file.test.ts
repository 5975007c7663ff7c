/**
 * docker-compose.otel.yml and deploy/** cannot run here (no Docker engine),
 * so this checks what can be checked without one: every service, port, URL
 * and mounted file the stack relies on agrees with the others. promtool
 * checks deploy/prometheus.yml in test/prometheus/deploy-config.test.ts, and
 * the dashboard's queries run against a real Prometheus in
 * test/prometheus/demo-scrape.test.ts. The Collector config is only checked
 * structurally (no otelcol binary here).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Yaml = Record<string, unknown>;

function load(path: string): Yaml {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as Yaml;
}

const compose = load('docker-compose.otel.yml');
const services = compose['services'] as Record<string, Yaml>;
const collector = load('deploy/otel-collector.yaml');
const prometheus = load('deploy/prometheus.yml');

function service(name: string): Yaml {
  const found = services[name];
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

function command(name: string): string[] {
  return service(name)['command'] as string[];
}

function flag(args: readonly string[], name: string): string {
  const index = args.indexOf(name);
  const value = args[index + 1];
  if (index < 0 || value === undefined)
    throw new Error(`${name} missing in ${args.join(' ')}`);
  return value;
}

function portOf(endpoint: string): string {
  return endpoint.slice(endpoint.lastIndexOf(':') + 1).replace(/\/.*$/, '');
}

const receivers = collector['receivers'] as Record<
  string,
  { protocols: Record<string, { endpoint: string }> }
>;
const exporters = collector['exporters'] as Record<
  string,
  { endpoint: string }
>;
const pipelines = (
  collector['service'] as {
    pipelines: Record<string, Record<string, string[]>>;
  }
).pipelines;

describe('docker-compose.otel.yml', () => {
  it('has the demo, gateway, collector, Prometheus, Jaeger and Grafana, on pinned images', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'collector',
        'demo',
        'gateway',
        'grafana',
        'jaeger',
        'prometheus',
        'setup',
      ].sort(),
    );
    for (const [name, definition] of Object.entries(services)) {
      const image = definition['image'] as string;
      expect(image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(image, name).not.toMatch(/:latest$/);
      const dependsOn =
        (definition['depends_on'] as string[] | Yaml | undefined) ?? [];
      for (const dependency of Array.isArray(dependsOn)
        ? dependsOn
        : Object.keys(dependsOn)) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty(
          dependency,
        );
      }
    }
  });

  it('runs the demo with /metrics reachable by Prometheus and spans sent to the collector', () => {
    const args = command('demo');
    expect(args.slice(0, 3)).toEqual(['npx', 'tsx', 'examples/demo/main.ts']);
    expect(existsSync('examples/demo/main.ts')).toBe(true);
    expect(flag(args, '--duration')).toBe('0');
    expect(flag(args, '--metrics-host')).toBe('0.0.0.0');
    const metricsPort = flag(args, '--metrics-port');
    const scrape = prometheus['scrape_configs'] as {
      job_name: string;
      static_configs: { targets: string[] }[];
    }[];
    const demoJob = scrape.find(job => job.job_name === 'demo');
    expect(demoJob?.static_configs[0]?.targets).toEqual([
      `demo:${metricsPort}`,
    ]);
    const otlp = (service('demo')['environment'] as Record<string, string>)[
      'OTEL_EXPORTER_OTLP_ENDPOINT'
    ];
    expect(otlp).toBe(
      `http://collector:${portOf(receivers['otlp']?.protocols['http']?.endpoint ?? '')}`,
    );
  });

  it('runs the gateway as specified, forwarding to the collector’s second receiver', () => {
    const args = command('gateway');
    expect(args).toEqual([
      'node',
      '--max-semi-space-size=64',
      'dist/esm/cli/main.js',
      'gateway',
      '--listen',
      '0.0.0.0:4318',
      '--forward',
      'http://collector:4320/v1/traces',
      '--metrics',
      '0.0.0.0:9465',
    ]);
    const forward = new URL(flag(args, '--forward'));
    expect(forward.hostname).toBe('collector');
    expect(forward.port).toBe(
      portOf(receivers['otlp/priced']?.protocols['http']?.endpoint ?? ''),
    );
    // The collector's ingest pipeline sends to the gateway's listen port.
    const toGateway = new URL(exporters['otlphttp/gateway']?.endpoint ?? '');
    expect(toGateway.hostname).toBe('gateway');
    expect(toGateway.port).toBe(portOf(flag(args, '--listen')));
    const gatewayJob = (
      prometheus['scrape_configs'] as {
        job_name: string;
        static_configs: { targets: string[] }[];
      }[]
    ).find(job => job.job_name === 'gateway');
    // Prometheus scrapes the gateway's --metrics port.
    expect(gatewayJob?.static_configs[0]?.targets).toEqual([
      `gateway:${portOf(flag(args, '--metrics'))}`,
    ]);
  });

  it('routes collector pipelines through defined components only: ingest → gateway, priced → Jaeger', () => {
    const processors = Object.keys(collector['processors'] as Yaml);
    const used = { receivers: new Set<string>(), exporters: new Set<string>() };
    for (const [name, pipeline] of Object.entries(pipelines)) {
      for (const receiver of pipeline['receivers'] ?? []) {
        expect(receivers, name).toHaveProperty([receiver]);
        used.receivers.add(receiver);
      }
      for (const processor of pipeline['processors'] ?? [])
        expect(processors, name).toContain(processor);
      for (const exporter of pipeline['exporters'] ?? []) {
        expect(exporters, name).toHaveProperty([exporter]);
        used.exporters.add(exporter);
      }
    }
    expect([...used.receivers].sort()).toEqual(Object.keys(receivers).sort());
    expect([...used.exporters].sort()).toEqual(Object.keys(exporters).sort());
    expect(pipelines['traces/ingest']).toMatchObject({
      receivers: ['otlp'],
      exporters: ['otlphttp/gateway'],
    });
    expect(pipelines['traces/priced']).toMatchObject({
      receivers: ['otlp/priced'],
      exporters: ['otlp/jaeger'],
    });
    expect(exporters['otlp/jaeger']?.endpoint).toBe('jaeger:4317');
    expect(
      (service('jaeger')['environment'] as Record<string, string>)[
        'COLLECTOR_OTLP_ENABLED'
      ],
    ).toBe('true');
  });

  it('mounts files that exist, and Grafana provisions the dashboard against the provisioned datasource', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const volume of (definition['volumes'] as string[] | undefined) ??
        []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./'))
          expect(existsSync(source), `${name}: ${source}`).toBe(true);
      }
    }
    const mounted = (name: string, target: string) =>
      (
        (service(name)['volumes'] as string[]).find(
          volume => volume.split(':')[1] === target,
        ) ?? ''
      ).split(':')[0];
    // Prometheus loads its rule file from next to its config.
    expect(prometheus['rule_files']).toEqual(['prometheus-rules.yml']);
    expect(mounted('prometheus', '/etc/prometheus/prometheus-rules.yml')).toBe(
      './deploy/prometheus-rules.yml',
    );

    const datasources = load(
      'deploy/grafana/provisioning/datasources/prometheus.yml',
    )['datasources'] as Yaml[];
    expect(datasources[0]).toMatchObject({
      uid: 'prometheus',
      type: 'prometheus',
      url: 'http://prometheus:9090',
    });
    const providers = load(
      'deploy/grafana/provisioning/dashboards/dashboards.yml',
    )['providers'] as Yaml[];
    const dashboardsDir = (providers[0]?.['options'] as Yaml)['path'] as string;
    expect(mounted('grafana', dashboardsDir)).toBe(
      './deploy/grafana/dashboards',
    );
    const home = (service('grafana')['environment'] as Record<string, string>)[
      'GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'
    ];
    expect(home?.startsWith(`${dashboardsDir}/`)).toBe(true);
    expect(
      existsSync(
        `deploy/grafana/dashboards/${home?.slice(dashboardsDir.length + 1)}`,
      ),
    ).toBe(true);
  });
});

describe('deploy/grafana/dashboards/llm-cost.json', () => {
  const dashboard = JSON.parse(
    readFileSync('deploy/grafana/dashboards/llm-cost.json', 'utf8'),
  ) as {
    uid: string;
    panels: {
      id: number;
      title: string;
      datasource: { uid: string };
      targets: { expr: string; refId: string }[];
    }[];
  };

  it('has the cost per tenant, plan and model panels and the unpriced share, all on the provisioned datasource', () => {
    const titles = dashboard.panels.map(panel => panel.title);
    for (const wanted of [
      'Cost per tenant in range',
      'Cost per plan in range',
      'Cost per model in range',
      'Unpriced share',
    ]) {
      expect(titles).toContain(wanted);
    }
    expect(new Set(dashboard.panels.map(panel => panel.id)).size).toBe(
      dashboard.panels.length,
    );
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe('prometheus');
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets)
        expect(target.expr, panel.title).toMatch(/gen_ai_client_cost/);
    }
  });
});
