/**
 * The recorded stacked setups (two instrumentation layers recording each
 * real call, in one trace or in two) replayed through `CostSpanProcessor`
 * with their real ids, parents, times and END ORDER: each real call is
 * priced exactly once, with the usage of the better-informed record, at
 * published prices; the other record is skipped with a reason.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../../src/index.js';
import type { EmittersOption } from '../../src/core/select/emitters.js';
import { replayRecordedSpans } from '../fixtures/emitters/load-recorded-spans.js';
import { expectedCost, GPT_4O_MINI } from '../helpers/prices.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import {
  callCount,
  expectedCallCosts,
  loadSetup,
  sortedUsd,
  STACKED_SETUPS,
} from '../select/stacked-truth.js';

interface Replayed {
  readonly sink: RecordingSink;
  readonly spans: readonly ReadableSpan[];
}

async function replay(
  file: string,
  emitters?: EmittersOption,
): Promise<Replayed> {
  const setup = STACKED_SETUPS.find(candidate => candidate.file === file);
  if (setup === undefined) throw new Error(`no setup ${file}`);
  const sink = new RecordingSink();
  const exporter = new InMemorySpanExporter();
  await replayRecordedSpans(loadSetup(setup).spans, [
    new CostSpanProcessor({ sinks: [sink], metrics: false, emitters, env: {} }),
    new SimpleSpanProcessor(exporter),
  ]);
  return { sink, spans: exporter.getFinishedSpans() };
}

const cost = (span: ReadableSpan): number | undefined =>
  span.attributes['gen_ai.usage.cost'] as number | undefined;
const skipped = (span: ReadableSpan): string | undefined =>
  span.attributes['gen_ai.cost.skipped'] as string | undefined;

afterEach(() => diag.disable());

describe('recorded stacked instrumentations through CostSpanProcessor', () => {
  for (const setup of STACKED_SETUPS) {
    it(`${setup.file}: each real call priced exactly once`, async () => {
      const recording = loadSetup(setup);
      const calls = callCount(recording);
      const { sink, spans } = await replay(setup.file);
      // Counted once per real call, every one priced.
      expect(sink.records).toHaveLength(calls);
      expect(sink.records.every(record => record.cost.priced)).toBe(true);
      // On the spans: one priced span per call, its partner skipped.
      const priced = spans.filter(span => cost(span) !== undefined);
      expect(priced).toHaveLength(calls);
      const partners = spans.filter(
        span =>
          skipped(span) === 'duplicate_of_stacked_instrumentation' ||
          skipped(span) === 'covered_by_descendant',
      );
      expect(partners).toHaveLength(calls);
      const expected = expectedCallCosts(setup, recording);
      if (expected === undefined) return;
      // Each call at its published price, with the cache detail when any
      // layer reported it: the records and the span attributes agree.
      expect(
        sortedUsd(
          sink.records.map(r => (r.cost.priced ? r.cost.totalUsd : NaN)),
        ),
      ).toEqual(sortedUsd(expected));
      expect(sortedUsd(priced.map(span => cost(span) as number))).toEqual(
        sortedUsd(expected),
      );
    });
  }

  it('OpenInference Anthropic ending before the SDK span below it: the parent is covered by the open child', async () => {
    const { spans } = await replay('anthropic/sdk-and-openinference.json');
    const oi = spans.filter(span => span.name === 'Anthropic Messages');
    // calls 1 and 2 nest (parent ends first): the SDK child is priced.
    expect(oi.map(skipped)).toEqual([
      'covered_by_descendant',
      'covered_by_descendant',
      undefined,
    ]);
    const sdk = spans.filter(span => span.name === 'anthropic.messages.create');
    expect(sdk.map(span => cost(span) !== undefined)).toEqual([
      true,
      true,
      false,
    ]);
    // call 3 (stream()) is two traces: OpenInference's span (the outer
    // layer) ends first and is priced at once; the SDK's is skipped.
    expect(cost(oi[2] as ReadableSpan)).toBeGreaterThan(0);
    expect(skipped(sdk[2] as ReadableSpan)).toBe(
      'duplicate_of_stacked_instrumentation',
    );
  });

  it("LangChain over the OpenAI client: the LangChain span (cache and reasoning detail) is priced, the client's skipped", async () => {
    const { spans } = await replay('langchain/openinference+otel-openai.json');
    for (const span of spans) {
      if (
        span.instrumentationScope.name ===
        '@opentelemetry/instrumentation-openai'
      ) {
        expect(skipped(span)).toBe('duplicate_of_stacked_instrumentation');
      }
      if (span.name === 'ChatOpenAI') expect(cost(span)).toBeGreaterThan(0);
    }
  });
});

describe('the emitters option on a recorded stack (LangChain over the OpenAI client)', () => {
  const FILE = 'langchain/openinference+otel-openai.json';
  const LANGCHAIN = '@arizeai/openinference-instrumentation-langchain';
  const CLIENT = '@opentelemetry/instrumentation-openai';
  // The four calls' tokens (prompt, cached, completion) as the fake answered.
  const TOKENS = [
    [1000, 600, 300],
    [1200, 1024, 250],
    [800, 0, 120],
    [2048, 1536, 512],
  ] as const;
  const withCache = TOKENS.map(
    ([prompt, cached, output]) =>
      expectedCost(GPT_4O_MINI, {
        uncachedInput: prompt - cached,
        cacheRead: cached,
        output,
      }).total,
  );
  const withoutCache = TOKENS.map(
    ([prompt, , output]) =>
      expectedCost(GPT_4O_MINI, { uncachedInput: prompt, output }).total,
  );
  const pricedScopes = (spans: readonly ReadableSpan[]): string[] => [
    ...new Set(
      spans
        .filter(span => cost(span) !== undefined)
        .map(span => span.instrumentationScope.name),
    ),
  ];

  it("'framework': the LangChain spans are priced", async () => {
    const { sink, spans } = await replay(FILE, 'framework');
    expect(pricedScopes(spans)).toEqual([LANGCHAIN]);
    expect(
      sortedUsd(sink.records.map(r => (r.cost.priced ? r.cost.totalUsd : 0))),
    ).toEqual(sortedUsd(withCache));
  });

  it("'client': the client's spans are priced, from the client's usage (no cache detail)", async () => {
    const { sink, spans } = await replay(FILE, 'client');
    expect(sink.records).toHaveLength(4);
    expect(
      sortedUsd(
        spans.filter(s => cost(s) !== undefined).map(s => cost(s) as number),
      ),
    ).toEqual(sortedUsd(withoutCache));
    // The client ends first and is priced at once; LangChain's is skipped.
    expect(pricedScopes(spans)).toEqual([CLIENT]);
  });

  it("'all': no cross-layer detection, each layer priced (the behaviour it turns off)", async () => {
    const { sink } = await replay(FILE, 'all');
    expect(sink.records).toHaveLength(8);
  });

  it('a scope list prices only the listed scopes, with no memory', async () => {
    const { sink, spans } = await replay(FILE, [LANGCHAIN]);
    expect(sink.records).toHaveLength(4);
    expect(pricedScopes(spans)).toEqual([LANGCHAIN]);
    const client = spans.filter(s => s.instrumentationScope.name === CLIENT);
    expect(client.map(skipped)).toEqual(
      client.map(() => 'duplicate_of_stacked_instrumentation'),
    );
  });

  it('warns once per pipeline, naming the two scopes and what it did', async () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        warn: (message: string) => warnings.push(message),
        error: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
    await replay(FILE);
    const stacked = warnings.filter(w =>
      w.includes('stacked instrumentations'),
    );
    expect(stacked).toHaveLength(1);
    expect(stacked[0]).toContain(LANGCHAIN);
    expect(stacked[0]).toContain(CLIENT);
    expect(stacked[0]).toContain('better-informed');
  });
});
