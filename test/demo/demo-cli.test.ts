/**
 * `npm run demo` (examples/demo/main.ts) end to end, in-process: the real AI
 * SDK v7 and the real openai client against the demo's fake server, priced by
 * CostSpanProcessor; the tables come from the exported spans, /metrics is
 * served while it runs, and spans go out over OTLP when the env says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../examples/demo/demo-options.js';
import { run } from '../../examples/demo/main.js';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../helpers/otlp-receiver.js';

const ARGS = [
  '--calls',
  '120',
  '--rate',
  '400',
  '--seed',
  '3',
  '--users',
  '40',
  '--tenants',
  '8',
  '--metrics-port',
  '0',
];

/** Report lines without the wall-clock "last seen" column. */
function withoutTimes(report: string): string {
  return report.replace(/\d\d:\d\d:\d\d\.\d\d\d/g, 'hh:mm:ss.mmm');
}

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

describe('demo CLI', () => {
  it('prints per-user and per-tenant tables from the spans, serves /metrics, exports over OTLP', async () => {
    const lines: string[] = [];
    let scrape: Promise<string> | undefined;
    const print = (line: string) => {
      lines.push(line);
      const url = /^Prometheus metrics: (http:\/\/\S+)$/.exec(line)?.[1];
      if (url !== undefined)
        scrape = fetch(url).then(response => response.text());
    };
    const result = await run(ARGS, print, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.origin}/`,
    });

    expect(result.traffic).toMatchObject({ calls: 120, failed: 0 });
    expect(lines).toContain(
      `Exporting spans over OTLP to ${receiver.origin}/v1/traces`,
    );
    expect(await scrape).toContain('# TYPE gen_ai_client_cost_total counter');

    const report = result.report;
    expect(report).toMatch(
      /^Per user \(from span attributes user\.id \+ gen_ai\.usage\.cost; top 15 of \d+ by spend\)$/m,
    );
    expect(report).toMatch(
      /^user\s+tenant\s+spend\s+calls\s+tokens\s+last seen\s+top model$/m,
    );
    expect(report).toMatch(
      /^tenant\s+plan\s+users\s+calls\s+unpriced\s+tokens\s+spend\s+share$/m,
    );
    const total = /^Total: \$([0-9.]+) over 120 LLM calls/m.exec(report);
    expect(total).not.toBeNull();
    // The tenant table adds up to the total.
    const tenantSpend = [
      ...report.matchAll(
        /^\S+\s+(?:enterprise|pro|free|trial)\s+\d+\s+\d+\s+\d+\s+\d+\s+\$([0-9.]+)/gm,
      ),
    ];
    expect(tenantSpend).toHaveLength(8);
    const sum = tenantSpend.reduce((acc, match) => acc + Number(match[1]), 0);
    expect(Math.abs(sum - Number(total?.[1]))).toBeLessThan(8e-6); // 8 rows rounded to 1e-6

    // Every priced span went out over OTLP, with its cost and user.
    const spans = receiver.received
      .filter(request => request.path === '/v1/traces')
      .flatMap(
        request =>
          decodeExportTraceRequest(new Uint8Array(request.body), 'protobuf')
            .resourceSpans,
      )
      .flatMap(resource => resource.scopeSpans.flatMap(scope => scope.spans));
    const llmCalls = spans.filter(span =>
      span.attributes.some(kv => kv.key === 'gen_ai.cost.source'),
    );
    expect(llmCalls).toHaveLength(120);
    for (const span of llmCalls) {
      expect(
        span.attributes.find(kv => kv.key === 'user.id')?.value?.stringValue,
      ).toMatch(/^user-\d{4}$/);
    }
  });

  it('the same seed gives the same traffic and the same tables', async () => {
    const first = await run(ARGS, () => {}, {});
    const second = await run(ARGS, () => {}, {});
    expect(withoutTimes(second.report)).toBe(withoutTimes(first.report));
    const other = await run(
      [...ARGS.slice(0, 4), '--seed', '4', ...ARGS.slice(6)],
      () => {},
      {},
    );
    expect(withoutTimes(other.report)).not.toBe(withoutTimes(first.report));
  });

  it('rejects bad options with a clear message', async () => {
    await expect(run(['--users', 'many'], () => {}, {})).rejects.toThrow(
      /option '-u, --users <count>' argument 'many' is invalid\. expected an integer >= 1, got "many"/,
    );
    await expect(run(['--bogus'], () => {}, {})).rejects.toThrow(
      /unknown option '--bogus'/,
    );
  });

  it('defaults: a ~10 second run, 200 users, 12 tenants, /metrics on 9464 unless the env says otherwise', () => {
    expect(parseDemoArgs([], {})).toMatchObject({
      durationSeconds: 10,
      users: 200,
      tenants: 12,
      metricsHost: '127.0.0.1',
      metricsPort: 9464,
    });
    expect(
      parseDemoArgs([], {
        OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9100',
      }),
    ).toMatchObject({ metricsHost: '0.0.0.0', metricsPort: 9100 });
    expect(parseDemoArgs(['-d', '0'], {}).durationSeconds).toBe(0);
  });
});
