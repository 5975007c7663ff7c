/**
 * Exactly once inside a trace whatever the end order, and the edges of
 * stacked matching in process, with spans built by hand:
 * - a parent LLM span that ends before the LLM call below it (any family)
 *   is covered by the open child; a child without usage then takes the
 *   parent's;
 * - an agent total over calls not all instrumented prices its remainder;
 * - the priced span of a stacked pair gets the attribution of the context;
 * - a framework span that never ends does not lose its client's call.
 * Prices: gpt-4o-mini $0.15/M input, $0.075/M cached input, $0.60/M output
 * (https://openai.com/api/pricing, test/helpers/prices.ts).
 */
import {
  context,
  ROOT_CONTEXT,
  trace,
  type Attributes,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CostSpanProcessor, withAttribution } from '../../src/index.js';
import { expectedCost, GPT_4O_MINI } from '../helpers/prices.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const chat = (input?: number, output?: number): Attributes => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  ...(input === undefined ? {} : { 'gen_ai.usage.input_tokens': input }),
  ...(output === undefined ? {} : { 'gen_ai.usage.output_tokens': output }),
});

const usd = (input: number, output: number, cached = 0): number =>
  expectedCost(GPT_4O_MINI, {
    uncachedInput: input - cached,
    cacheRead: cached,
    output,
  }).total;

let manager: AsyncLocalStorageContextManager | undefined;
beforeEach(() => {
  manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
});
afterEach(() => {
  context.disable();
  manager = undefined;
});

function setup() {
  const sink = new RecordingSink();
  const exporter = new InMemorySpanExporter();
  const processor = new CostSpanProcessor({
    sinks: [sink],
    metrics: false,
    env: {},
  });
  const provider = new BasicTracerProvider({
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
  });
  const get = (name: string): ReadableSpan => {
    const span = exporter.getFinishedSpans().find(s => s.name === name);
    if (span === undefined) throw new Error(`no span ${name}`);
    return span;
  };
  const counted = (): number =>
    sink.records.reduce(
      (sum, r) => sum + (r.cost.priced ? r.cost.totalUsd : Number.NaN),
      0,
    );
  return { provider, processor, sink, get, counted };
}

describe('inside a trace, whatever the end order (any family)', () => {
  it('a parent LLM span ending before the LLM call below it is covered by the open child', () => {
    const { provider, sink, get, counted } = setup();
    const parent = provider
      .getTracer('my-wrapper')
      .startSpan('outer chat', { attributes: chat() });
    const child = provider
      .getTracer('my-client')
      .startSpan(
        'inner chat',
        { attributes: chat() },
        trace.setSpan(ROOT_CONTEXT, parent),
      );
    parent.setAttributes(chat(1000, 300));
    parent.end(); // first, as OpenInference's Anthropic span does
    child.setAttributes(chat(1000, 300));
    child.end();
    expect(get('outer chat').attributes['gen_ai.cost.skipped']).toBe(
      'covered_by_descendant',
    );
    expect(get('inner chat').attributes['gen_ai.usage.cost']).toBeCloseTo(
      usd(1000, 300),
      12,
    );
    expect(sink.records).toHaveLength(1);
    expect(counted()).toBeCloseTo(usd(1000, 300), 12);
  });

  it('the open child ending without usage is priced with the parent it covered', () => {
    const { provider, sink, get } = setup();
    const parent = provider
      .getTracer('my-wrapper')
      .startSpan('outer chat', { attributes: chat() });
    const child = provider
      .getTracer('my-client')
      .startSpan(
        'inner chat',
        { attributes: chat() },
        trace.setSpan(ROOT_CONTEXT, parent),
      );
    parent.setAttributes(chat(2000, 100));
    parent.end();
    child.end(); // a stream read without usage
    expect(get('inner chat').attributes['gen_ai.usage.cost']).toBeCloseTo(
      usd(2000, 100),
      12,
    );
    expect(sink.records).toHaveLength(1);
  });

  it('an agent total over calls not all instrumented: the remainder beyond its descendants is priced on it', () => {
    const { provider, sink, get, counted } = setup();
    const agent = provider
      .getTracer('my-agent')
      .startSpan('agent turn', { attributes: chat() });
    const call = provider
      .getTracer('my-client')
      .startSpan(
        'one call',
        { attributes: chat() },
        trace.setSpan(ROOT_CONTEXT, agent),
      );
    call.setAttributes(chat(1000, 200));
    call.end();
    // Two calls made, one instrumented: the total is both.
    agent.setAttributes(chat(3000, 700));
    agent.end();
    expect(get('agent turn').attributes['gen_ai.usage.cost']).toBeCloseTo(
      usd(2000, 500),
      12,
    );
    expect(sink.records).toHaveLength(2);
    expect(counted()).toBeCloseTo(usd(3000, 700), 12);
  });

  it('a parent reporting the same call (within rounding, or more on one side only) stays covered', () => {
    const { provider, sink, get } = setup();
    for (const [name, input, output] of [
      ['same', 1000, 300],
      ['rounding', 1010, 305],
      ['input only', 5000, 300], // an emitter counting the cache in input
    ] as const) {
      const parent = provider
        .getTracer('w')
        .startSpan(name, { attributes: chat() });
      const child = provider
        .getTracer('c')
        .startSpan(
          `${name} child`,
          { attributes: chat() },
          trace.setSpan(ROOT_CONTEXT, parent),
        );
      child.setAttributes(chat(1000, 300));
      child.end();
      parent.setAttributes(chat(input, output));
      parent.end();
      expect(get(name).attributes['gen_ai.cost.skipped']).toBe(
        'covered_by_descendant',
      );
    }
    expect(sink.records).toHaveLength(3);
  });
});

describe('stacked layers across traces, in process', () => {
  const FRAMEWORK = '@arizeai/openinference-instrumentation-langchain';
  const CLIENT = '@opentelemetry/instrumentation-openai';
  const llm = (input: number, output: number, cached: number): Attributes => ({
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini',
    'llm.token_count.prompt': input,
    'llm.token_count.completion': output,
    'llm.token_count.prompt_details.cache_read': cached,
  });

  it('the priced span of a pair is billed to the attribution of the context both ran in', () => {
    const { provider, get, sink } = setup();
    withAttribution({ userId: 'user-7', feature: 'summarize' }, () => {
      // LangChain's span and the client's, each a root of its own trace.
      const root = trace.deleteSpan(context.active());
      const framework = provider
        .getTracer(FRAMEWORK)
        .startSpan(
          'ChatOpenAI',
          { attributes: { 'openinference.span.kind': 'LLM' } },
          root,
        );
      const client = provider
        .getTracer(CLIENT)
        .startSpan('chat gpt-4o-mini', { attributes: chat() }, root);
      client.setAttributes(chat(1000, 300));
      client.end();
      framework.setAttributes(llm(1000, 300, 600));
      framework.end();
    });
    const priced = get('ChatOpenAI');
    expect(priced.attributes['gen_ai.usage.cost']).toBeCloseTo(
      usd(1000, 300, 600),
      12,
    );
    expect(priced.attributes['user.id']).toBe('user-7');
    expect(get('chat gpt-4o-mini').attributes['gen_ai.cost.skipped']).toBe(
      'duplicate_of_stacked_instrumentation',
    );
    expect(sink.records).toHaveLength(1);
    expect(sink.records[0]?.identity).toMatchObject({
      userId: 'user-7',
      feature: 'summarize',
      source: 'context',
    });
  });

  it('a framework span that never ends: its client call is counted at shutdown, not lost', async () => {
    const { provider, processor, sink } = setup();
    provider.getTracer(FRAMEWORK).startSpan('ChatOpenAI', {
      attributes: { 'openinference.span.kind': 'LLM' },
    });
    const client = provider
      .getTracer(CLIENT)
      .startSpan('chat gpt-4o-mini', { attributes: chat() });
    client.setAttributes(chat(1000, 300));
    client.end();
    expect(sink.records).toHaveLength(0); // held for its framework span
    await processor.shutdown();
    expect(sink.records).toHaveLength(1);
    const [record] = sink.records;
    expect(record?.cost.priced && record.cost.totalUsd).toBeCloseTo(
      usd(1000, 300),
      12,
    );
  });

  it('a client call with no framework span open is priced at once, nothing held', () => {
    const { provider, sink, get } = setup();
    const client = provider
      .getTracer(CLIENT)
      .startSpan('chat gpt-4o-mini', { attributes: chat() });
    client.setAttributes(chat(1000, 300));
    client.end();
    expect(get('chat gpt-4o-mini').attributes['gen_ai.usage.cost']).toBeCloseTo(
      usd(1000, 300),
      12,
    );
    expect(sink.records).toHaveLength(1);
  });
});
