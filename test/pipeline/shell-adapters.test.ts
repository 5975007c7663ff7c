/**
 * Every shell is an adapter over the same pipeline: the same LLM span gives
 * the same attributes, the same record in the sinks and the same warnings,
 * whether the span processor, the exporter wrapper, `recordLlmCall` or the
 * gateway handled it. Expected prices are OpenAI's published gpt-4o list
 * prices (https://openai.com/api/pricing): $2.50/M input, $10/M output.
 */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CostRecord, CostSink } from '../../src/core/cost-record.js';
import { InvalidPriceOverrideError } from '../../src/core/price/price-override.js';
import { CostEnrichingSpanExporter } from '../../src/exporter/cost-enriching-span-exporter.js';
import { RequestEnricher } from '../../src/gateway/pipeline/request-enricher.js';
import { recordLlmCall } from '../../src/manual/record-llm-call.js';
import { createCostPipeline } from '../../src/pipeline/cost-pipeline.js';
import { DEFAULT_PIPELINE_CONFIG } from '../../src/pipeline/pipeline-config.js';
import { CostSpanProcessor } from '../../src/processor/cost-span-processor.js';
import { scannedJson, scannedSpans } from '../gateway/pipeline/scanned-json.js';

const INPUT = 12_000;
const OUTPUT = 3_000;
const EXPECTED_USD = (INPUT * 2.5 + OUTPUT * 10) / 1e6; // 0.06
const EMAIL = 'alice@example.com';

const CALL: Record<string, string | number> = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.response.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': INPUT,
  'gen_ai.usage.output_tokens': OUTPUT,
  'user.id': EMAIL,
};

class Sink implements CostSink {
  readonly records: CostRecord[] = [];
  record(record: CostRecord): void {
    this.records.push(record);
  }
}

interface ShellRun {
  /** The span's attributes as the next exporter or hop sees them. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly records: readonly CostRecord[];
}

const sdkOptions = (sink: Sink) =>
  ({ metrics: false, sinks: [sink], env: {} }) as const;

async function throughProcessor(): Promise<ShellRun> {
  const sink = new Sink();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(sdkOptions(sink)),
      new SimpleSpanProcessor(exporter),
    ],
  });
  provider
    .getTracer('test')
    .startSpan('chat gpt-4o', { attributes: CALL })
    .end();
  await provider.forceFlush();
  const [span] = exporter.getFinishedSpans();
  await provider.shutdown();
  return { attributes: span?.attributes ?? {}, records: sink.records };
}

async function throughExporterWrapper(): Promise<ShellRun> {
  const sink = new Sink();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new SimpleSpanProcessor(
        new CostEnrichingSpanExporter(exporter, sdkOptions(sink)),
      ),
    ],
  });
  provider
    .getTracer('test')
    .startSpan('chat gpt-4o', { attributes: CALL })
    .end();
  await provider.forceFlush();
  const [span] = exporter.getFinishedSpans();
  await provider.shutdown();
  return { attributes: span?.attributes ?? {}, records: sink.records };
}

async function throughRecordLlmCall(): Promise<ShellRun> {
  const sink = new Sink();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(sdkOptions(sink)),
      new SimpleSpanProcessor(exporter),
    ],
  });
  recordLlmCall({
    provider: 'openai',
    model: 'gpt-4o',
    usage: { inputTokens: INPUT, outputTokens: OUTPUT },
    tags: { userId: EMAIL },
    tracer: provider.getTracer('test'),
  });
  await provider.forceFlush();
  const [span] = exporter.getFinishedSpans();
  await provider.shutdown();
  return { attributes: span?.attributes ?? {}, records: sink.records };
}

function throughGateway(): Promise<ShellRun> {
  const sink = new Sink();
  const enricher = new RequestEnricher({
    pipeline: createCostPipeline({
      ...DEFAULT_PIPELINE_CONFIG,
      sinks: [sink],
      rewriteAllSources: true,
    }),
    traceWindowMillis: 60_000,
    maxTraces: 10,
  });
  const request = scannedJson([
    {
      traceId: 'e'.repeat(32),
      spanId: 'f'.repeat(16),
      name: 'chat gpt-4o',
      startMillis: 0,
      endMillis: 10,
      attributes: CALL,
    },
  ]);
  const result = enricher.enrich(request, 0);
  const [scanned] = scannedSpans(request);
  // Counted only once the next hop accepted the request (here: at once).
  expect(sink.records).toHaveLength(0);
  enricher.commit(result.calls);
  enricher.commit(result.calls); // a second commit counts nothing
  return Promise.resolve({
    attributes: { ...CALL, ...scanned?.update },
    records: sink.records,
  });
}

const SHELLS = [
  ['CostSpanProcessor', throughProcessor, 'span'],
  ['CostEnrichingSpanExporter', throughExporterWrapper, 'span'],
  ['recordLlmCall', throughRecordLlmCall, 'manual'],
  ['gateway', throughGateway, 'span'],
] as const;

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  const logger: DiagLogger = {
    error: () => {},
    warn: message => warnings.push(message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
});
afterEach(() => diag.disable());

describe.each(SHELLS)('%s over the pipeline', (_name, run, source) => {
  it('writes the published price and the redacted identity on the span', async () => {
    const { attributes } = await run();
    expect(attributes['gen_ai.usage.cost']).toBeCloseTo(EXPECTED_USD, 12);
    expect(attributes['gen_ai.cost.input']).toBeCloseTo(INPUT * 2.5e-6, 12);
    expect(attributes['gen_ai.cost.output']).toBeCloseTo(OUTPUT * 1e-5, 12);
    expect(attributes['gen_ai.cost.currency']).toBe('USD');
    expect(attributes['gen_ai.cost.source']).toBe('price_table');
    expect(attributes['user.id']).toBe('redacted-email');
    expect(attributes['gen_ai.cost.attribution.source']).toBe(source);
  });

  it('counts the call once in the sinks, with the same figures', async () => {
    const { records, attributes } = await run();
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.cost.priced && record.cost.totalUsd).toBe(
      attributes['gen_ai.usage.cost'],
    );
    expect(record?.identity).toMatchObject({
      source,
      userId: 'redacted-email',
      tags: { userId: 'redacted-email' },
    });
  });

  it('gives the e-mail warning, once', async () => {
    await run();
    expect(warnings.filter(w => w.includes('redacted-email'))).toHaveLength(1);
  });
});

describe('an invalid price override', () => {
  // The one deliberate exception to "in-process warns and uses the default"
  // (docs/api.md): pricing from the table would ignore the user's correction.
  const dir = mkdtempSync(join(tmpdir(), 'otel-genai-cost-bad-override-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'prices.json');
  const bad = { provider: 'openai', model: 'gpt-4o', inputPerMTokUsd: -1 };
  const inProcess = {
    processor: (options: object) => new CostSpanProcessor(options),
    exporter: (options: object) =>
      new CostEnrichingSpanExporter(new InMemorySpanExporter(), options),
  };

  it.each(Object.entries(inProcess))(
    'in code, is refused by the %s constructor',
    (_name, make) => {
      expect(() => make({ metrics: false, env: {}, overrides: [bad] })).toThrow(
        InvalidPriceOverrideError,
      );
    },
  );

  it.each(Object.entries(inProcess))(
    'in the overrides file, is refused by the %s constructor',
    (_name, make) => {
      writeFileSync(file, JSON.stringify([bad]));
      const env = { OTEL_GENAI_COST_PRICE_OVERRIDES_FILE: file };
      expect(() => make({ metrics: false, env })).toThrow(
        InvalidPriceOverrideError,
      );
    },
  );
});
