import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  context,
  diag,
  DiagLogLevel,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CostSpanProcessor,
  InvalidPriceOverrideError,
  type CostSpanProcessorOptions,
} from '../../src/index.js';

// gpt-4o-mini published prices (https://openai.com/api/pricing):
// $0.15 input, $0.075 cached input, $0.60 output per 1M tokens.
const GPT_4O_MINI_1000_300 = (1000 * 0.15 + 300 * 0.6) / 1e6;

const CHAT: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 300,
};

function setup(options: CostSpanProcessorOptions = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new SimpleSpanProcessor(exporter), // before ours on purpose: onEnding runs first
      new CostSpanProcessor(options),
    ],
  });
  const tracer = provider.getTracer('test');
  const start = (name: string, attributes: Attributes, parent?: Span) =>
    tracer.startSpan(
      name,
      { attributes },
      parent ? trace.setSpan(context.active(), parent) : context.active(),
    );
  const spans = () => exporter.getFinishedSpans();
  const byName = (name: string): ReadableSpan => {
    const span = spans().find(s => s.name === name);
    if (!span) throw new Error(`no span ${name}`);
    return span;
  };
  const totalCost = () =>
    spans().reduce(
      (sum, s) => sum + ((s.attributes['gen_ai.usage.cost'] as number) ?? 0),
      0,
    );
  return { provider, start, spans, byName, totalCost };
}

afterEach(() => diag.disable());

describe('CostSpanProcessor', () => {
  it('prices a GenAI chat span, even when registered after the exporter', () => {
    const { start, byName } = setup();
    start('chat gpt-4o-mini', CHAT).end();
    const span = byName('chat gpt-4o-mini');
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(
      GPT_4O_MINI_1000_300,
      15,
    );
    expect(span.attributes['gen_ai.cost.source']).toBe('price_table');
    expect(span.attributes['gen_ai.cost.currency']).toBe('USD');
    expect(span.attributes['gen_ai.cost.price_version']).toMatch(
      /^genai-prices@/,
    );
  });

  it('writes no numeric key under gen_ai.usage.* but the total (Langfuse reads those as token usage)', () => {
    const { start, byName } = setup();
    start('chat', {
      ...CHAT,
      'gen_ai.usage.cache_read.input_tokens': 100,
    }).end();
    const written = Object.entries(byName('chat').attributes).filter(
      ([key]) =>
        !(key in CHAT) && key !== 'gen_ai.usage.cache_read.input_tokens',
    );
    expect(written.length).toBeGreaterThan(4);
    for (const [key, value] of written) {
      if (key.startsWith('gen_ai.usage.') && typeof value === 'number') {
        expect(key).toBe('gen_ai.usage.cost');
      }
    }
  });

  it('leaves non-LLM spans untouched', () => {
    const { start, byName } = setup();
    start('GET /', { 'http.request.method': 'GET' }).end();
    expect(byName('GET /').attributes).toEqual({
      'http.request.method': 'GET',
    });
  });

  it('prices two nested instrumentations of one call once (the inner one)', () => {
    const { start, byName, totalCost } = setup();
    const outer = start('OpenAI Chat Completions', {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.system': 'openai',
      'llm.token_count.prompt': 1000,
      'llm.token_count.completion': 300,
    });
    const http = start('POST', { 'http.request.method': 'POST' }, outer);
    start('chat gpt-4o-mini', CHAT, http).end();
    http.end();
    outer.end();
    expect(totalCost()).toBeCloseTo(GPT_4O_MINI_1000_300, 15);
    expect(
      byName('OpenAI Chat Completions').attributes['gen_ai.cost.skipped'],
    ).toBe('covered_by_descendant');
  });

  it('prices sibling spans of one response from two scopes once', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new CostSpanProcessor(),
        new SimpleSpanProcessor(exporter),
      ],
    });
    const root = provider.getTracer('app').startSpan('request');
    const parent = trace.setSpan(context.active(), root);
    const attributes = { ...CHAT, 'gen_ai.response.id': 'chatcmpl-42' };
    provider.getTracer('contrib').startSpan('a', { attributes }, parent).end();
    provider
      .getTracer('traceloop')
      .startSpan('b', { attributes }, parent)
      .end();
    root.end();
    const costs = exporter
      .getFinishedSpans()
      .map(s => s.attributes['gen_ai.usage.cost'])
      .filter(c => c !== undefined);
    expect(costs).toHaveLength(1);
  });

  it('never prices wrapper spans that carry roll-up usage', () => {
    const { start, totalCost, byName } = setup();
    const agent = start('invoke_agent', {
      ...CHAT,
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 600,
    });
    const step1 = start(
      'step 1',
      { 'gen_ai.operation.name': 'agent_step' },
      agent,
    );
    start('chat 1', CHAT, step1).end();
    step1.end();
    const step2 = start(
      'step 2',
      { 'gen_ai.operation.name': 'agent_step' },
      agent,
    );
    start('chat 2', CHAT, step2).end();
    step2.end();
    agent.end();
    expect(totalCost()).toBeCloseTo(2 * GPT_4O_MINI_1000_300, 15);
    expect(
      byName('invoke_agent').attributes['gen_ai.usage.cost'],
    ).toBeUndefined();
  });

  it('unknown model: no cost figure, unpriced with a reason, one warning per model', () => {
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
    const { start, spans } = setup();
    for (let i = 0; i < 5; i++) {
      start('chat', {
        ...CHAT,
        'gen_ai.request.model': 'my-finetune-xyz',
      }).end();
    }
    for (const span of spans()) {
      expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
      expect(span.attributes['gen_ai.cost.source']).toBe('unpriced');
      expect(span.attributes['gen_ai.cost.unpriced_reason']).toBe(
        'unknown_model',
      );
    }
    expect(warnings.filter(w => w.includes('my-finetune-xyz'))).toHaveLength(1);
  });

  it('an override from a YAML file wins over the table', () => {
    const directory = mkdtempSync(join(tmpdir(), 'prices-'));
    const file = join(directory, 'prices.yaml');
    writeFileSync(
      file,
      'prices:\n  - provider: openai\n    model: gpt-4o-mini\n    inputPerMTokUsd: 1\n    outputPerMTokUsd: 2\n',
    );
    const { start, byName } = setup({
      env: { OTEL_GENAI_COST_PRICES_FILE: file },
    });
    start('chat', CHAT).end();
    const span = byName('chat');
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(
      (1000 * 1 + 300 * 2) / 1e6,
      15,
    );
    expect(span.attributes['gen_ai.cost.source']).toBe('override');
  });

  it('a broken overrides file fails at construction with the file named', () => {
    const directory = mkdtempSync(join(tmpdir(), 'prices-'));
    const file = join(directory, 'prices.json');
    writeFileSync(
      file,
      '[{"model":"x","inputPerMTokUsd":-1,"outputPerMTokUsd":1}]',
    );
    expect(() => new CostSpanProcessor({ priceOverridesFile: file })).toThrow(
      InvalidPriceOverrideError,
    );
    expect(() => new CostSpanProcessor({ priceOverridesFile: file })).toThrow(
      /inputPerMTokUsd/,
    );
  });

  it('a provider-reported cost wins and is not split', () => {
    const { start, byName } = setup();
    start('chat', { ...CHAT, 'llm.cost.total': 0.5 }).end();
    const attributes = byName('chat').attributes;
    expect(attributes['gen_ai.usage.cost']).toBe(0.5);
    expect(attributes['gen_ai.cost.source']).toBe('provider');
    expect(attributes['gen_ai.cost.input']).toBeUndefined();
  });

  it('does nothing after shutdown and never throws', async () => {
    const processor = new CostSpanProcessor();
    await processor.shutdown();
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
    });
    provider.getTracer('t').startSpan('chat', { attributes: CHAT }).end();
    expect(
      exporter.getFinishedSpans()[0]?.attributes['gen_ai.usage.cost'],
    ).toBeUndefined();
  });
});

describe('CostSpanProcessor: spans evaluated upstream', () => {
  it('never prices a span an upstream shell skipped (no double count)', () => {
    const { start, byName } = setup();
    start('chat b', {
      ...CHAT,
      'gen_ai.cost.skipped': 'duplicate_response',
    }).end();
    expect(byName('chat b').attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});
