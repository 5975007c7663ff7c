/**
 * deploy/collector-loadbalancing.yaml cannot run here (no otelcol binary),
 * so it is checked structurally: the loadbalancing exporter routes by trace
 * id over OTLP/gRPC to the port the replicas' command line gives
 * --listen-grpc (a command the gateway's own settings accept), retries for
 * no longer than the gateway's trace window, every component a pipeline
 * names is defined, and it routes the same spans as the single-gateway
 * snippet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveGatewayOptions } from '../../../src/gateway/gateway-options.js';
import { GATEWAY_SETTINGS } from '../../../src/gateway/gateway-settings.js';

type Yaml = Record<string, unknown>;

const LOADBALANCING = 'deploy/collector-loadbalancing.yaml';
const SNIPPET = 'deploy/collector-gateway-snippet.yaml';

/** A path from the repository root, wherever the run starts (the 3.x run starts in test/otel-v3). */
const fromRoot = (path: string): string =>
  join(import.meta.dirname, '../../..', path);

function load(path: string): Yaml {
  return parse(readFileSync(fromRoot(path), 'utf8')) as Yaml;
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      throw new Error(`no ${path.join('.')}`);
    }
    current = (current as Yaml)[key];
  }
  return current;
}

const config = load(LOADBALANCING);
const exporter = at(config, 'exporters', 'loadbalancing/cost-gateway') as Yaml;

/** The replicas' command line in the file's header, as options. */
function replicaCommand(): Record<string, string> {
  const text = readFileSync(fromRoot(LOADBALANCING), 'utf8');
  const line = /^# Each replica: otel-genai-cost gateway (.+)$/m.exec(
    text,
  )?.[1];
  if (line === undefined) throw new Error('no replica command line');
  const words = line.trim().split(/\s+/);
  const flags: Record<string, string> = {};
  for (let index = 0; index < words.length; index += 2) {
    flags[words[index] as string] = words[index + 1] as string;
  }
  return flags;
}

describe(LOADBALANCING, () => {
  it('routes by trace id over OTLP/gRPC, to the --listen-grpc port of the replicas', () => {
    expect(exporter['routing_key']).toBe('traceID');
    expect(at(exporter, 'protocol', 'otlp')).toBeTypeOf('object');
    const flags = replicaCommand();
    // A command line the gateway accepts, flag by flag.
    const options: Record<string, unknown> = {};
    for (const [flag, value] of Object.entries(flags)) {
      const setting = GATEWAY_SETTINGS.find(row => row.flag === flag);
      expect(setting, flag).toBeDefined();
      options[setting?.key as string] = setting?.parse(value);
    }
    const resolved = resolveGatewayOptions({ ...options, env: {} });
    expect(resolved.listenGrpc).toBeDefined();
    expect(at(exporter, 'resolver', 'dns', 'port')).toBe(
      resolved.listenGrpc?.port,
    );
    // The replicas forward to the Collector's otlp/enriched receiver.
    expect(resolved.forward.port).toBe(
      String(
        at(
          config,
          'receivers',
          'otlp/enriched',
          'protocols',
          'http',
          'endpoint',
        ),
      ).split(':')[1],
    );
  });

  it('retries what a replica answers UNAVAILABLE, within the trace window', () => {
    const retry = at(exporter, 'protocol', 'otlp', 'retry_on_failure') as Yaml;
    expect(retry['enabled']).toBe(true);
    const window = GATEWAY_SETTINGS.find(
      row => row.key === 'traceWindowSeconds',
    )?.defaultValue as number;
    expect(retry['max_elapsed_time']).toBe(`${window}s`);
    expect(at(exporter, 'protocol', 'otlp', 'headers', 'authorization')).toBe(
      'Bearer ${env:OTEL_GENAI_COST_GATEWAY_AUTH_TOKEN}',
    );
    // No endpoint: the loadbalancing exporter sets one per replica.
    expect(at(exporter, 'protocol', 'otlp', 'endpoint')).toBeUndefined();
  });

  it('defines every component its pipelines name, and sends the cost pipeline to the load balancer', () => {
    const pipelines = at(config, 'service', 'pipelines') as Record<
      string,
      Yaml
    >;
    const defined = (kind: string): Set<string> =>
      new Set(Object.keys(at(config, kind) as Yaml));
    const connectors = defined('connectors');
    for (const [name, pipeline] of Object.entries(pipelines)) {
      for (const receiver of pipeline['receivers'] as string[]) {
        expect(
          defined('receivers').has(receiver) || connectors.has(receiver),
          `${name}: ${receiver}`,
        ).toBe(true);
      }
      for (const processor of (pipeline['processors'] ?? []) as string[]) {
        expect(defined('processors').has(processor), processor).toBe(true);
      }
      for (const out of pipeline['exporters'] as string[]) {
        expect(
          defined('exporters').has(out) || connectors.has(out),
          `${name}: ${out}`,
        ).toBe(true);
      }
    }
    expect(at(pipelines, 'traces/cost', 'exporters')).toEqual([
      'loadbalancing/cost-gateway',
    ]);
  });

  it('routes the same spans to the gateway as the single-gateway snippet', () => {
    const snippet = load(SNIPPET);
    expect(at(config, 'connectors', 'routing/llm')).toEqual(
      at(snippet, 'connectors', 'routing/llm'),
    );
  });
});
