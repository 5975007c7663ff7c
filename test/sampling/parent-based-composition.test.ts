/**
 * `CostAwareSampler` around `ParentBasedSampler` on the real SDK: the same
 * request run once in a sampled trace (root sampler AlwaysOn) and once in a
 * dropped one (AlwaysOff). The SDK asks the sampler for every child of a
 * dropped span (with a not-sampled parent), ParentBased drops it
 * (`localParentNotSampled`), and the wrapper records the LLM spans only.
 * What the processor counts must be the same in both runs; what it can
 * inherit from a dropped ancestor is not (documented limit).
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  context,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Sampler,
  type SamplingResult,
  type Span,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CostAwareSampler,
  withAttribution,
  type CostAwareSamplerOptions,
} from '../../src/index.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { setupSampledTracing, type SampledTracing } from './sampled-tracing.js';

/** Real instrumentation scopes: stacked layers known to the processor. */
const KNOWN = {
  client: '@opentelemetry/instrumentation-openai',
  framework: '@arizeai/openinference-instrumentation-langchain',
};
/** Scopes no rule knows (a home-made wrapper around a custom client). */
const UNKNOWN = { client: 'my-llm-client', framework: 'my-llm-framework' };
type Scopes = typeof KNOWN;
const CALL = expectedCost(GPT_4O_MINI, { uncachedInput: 1200, output: 300 });

/** What the SDK asked the sampler: span name and the parent it saw. */
interface Asked {
  readonly name: string;
  readonly parentRecording: boolean | undefined;
  readonly parentSampled: boolean | undefined;
}

class SpySampler implements Sampler {
  readonly asked: Asked[] = [];
  constructor(private readonly inner: Sampler) {}
  shouldSample(
    ctx: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpan(ctx);
    this.asked.push({
      name,
      parentRecording: parent?.isRecording(),
      parentSampled:
        parent === undefined
          ? undefined
          : (parent.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0,
    });
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links);
  }
  toString(): string {
    return `Spy{${this.inner.toString()}}`;
  }
}

function within<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** The OpenAI client instrumentation's span: GenAI keys at start. */
function clientCall(t: SampledTracing, scopes: Scopes = KNOWN): void {
  const span = t.provider
    .getTracer(scopes.client)
    .startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      },
    });
  within(span, () => {
    // The HTTP request of the call (undici/http instrumentation).
    t.provider
      .getTracer('@opentelemetry/instrumentation-undici')
      .startSpan('POST', { kind: SpanKind.CLIENT })
      .end();
  });
  span.setAttributes({
    'gen_ai.response.model': 'gpt-4o-mini',
    'gen_ai.response.id': 'chatcmpl-1',
    'gen_ai.usage.input_tokens': 1200,
    'gen_ai.usage.output_tokens': 300,
  });
  span.end();
}

/** OpenInference LangChain's model span: nothing at start. */
function frameworkCall(
  t: SampledTracing,
  inner: () => void,
  scopes: Scopes = KNOWN,
): void {
  const span = t.provider.getTracer(scopes.framework).startSpan('ChatOpenAI');
  within(span, inner);
  span.setAttributes({
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini',
    'llm.provider': 'openai',
    'llm.token_count.prompt': 1200,
    'llm.token_count.completion': 300,
  });
  span.end();
}

function request(
  t: SampledTracing,
  rootAttributes: Attributes,
  inner: () => void,
): void {
  const root = t.provider.getTracer('web').startSpan('GET /chat', {
    kind: SpanKind.SERVER,
    attributes: rootAttributes,
  });
  within(root, inner);
  root.end();
}

function costAware(
  root: Sampler,
  options?: CostAwareSamplerOptions,
): SpySampler {
  return new SpySampler(
    new CostAwareSampler(new ParentBasedSampler({ root }), options),
  );
}

let tracing: SampledTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

async function run(
  root: Sampler,
  body: (t: SampledTracing) => void,
  options?: CostAwareSamplerOptions,
): Promise<{ t: SampledTracing; spy: SpySampler }> {
  await tracing?.shutdown();
  const spy = costAware(root, options);
  tracing = setupSampledTracing(spy, ['acme']);
  body(tracing);
  await tracing.provider.forceFlush();
  return { t: tracing, spy };
}

describe('CostAwareSampler(ParentBasedSampler)', () => {
  const agentRequest = (t: SampledTracing): void =>
    request(t, { 'http.route': '/chat' }, () => {
      const agent = t.provider
        .getTracer('agent')
        .startSpan('invoke_agent helper', {
          attributes: { 'gen_ai.operation.name': 'invoke_agent' },
        });
      within(agent, () => frameworkCall(t, () => clientCall(t)));
      agent.end();
    });

  it('asks for every child of a dropped span and records the LLM spans and what runs below them', async () => {
    const { t, spy } = await run(new AlwaysOffSampler(), agentRequest);
    expect(spy.asked).toEqual([
      {
        name: 'GET /chat',
        parentRecording: undefined,
        parentSampled: undefined,
      },
      {
        name: 'invoke_agent helper',
        parentRecording: false,
        parentSampled: false,
      },
      { name: 'ChatOpenAI', parentRecording: true, parentSampled: false },
      { name: 'chat gpt-4o-mini', parentRecording: true, parentSampled: false },
      { name: 'POST', parentRecording: true, parentSampled: false },
    ]);
    expect(t.ended.map(s => s.name)).toEqual([
      'POST',
      'chat gpt-4o-mini',
      'ChatOpenAI',
      'invoke_agent helper',
    ]);
    expect(
      t.ended.every(s => s.spanContext().traceFlags === TraceFlags.NONE),
    ).toBe(true);
    expect(t.simpleExporter.getFinishedSpans()).toEqual([]);
    expect(t.batchExporter.getFinishedSpans()).toEqual([]);
  });

  it('records only the LLM spans with recordDescendants: false', async () => {
    const { t } = await run(new AlwaysOffSampler(), agentRequest, {
      recordDescendants: false,
    });
    expect(t.ended.map(s => s.name)).toEqual([
      'chat gpt-4o-mini',
      'ChatOpenAI',
      'invoke_agent helper',
    ]);
    expect(t.sink.records).toHaveLength(1);
  });

  it('counts the same calls, once each, in a dropped trace as in a sampled one', async () => {
    const sampled = await run(new AlwaysOnSampler(), agentRequest);
    expect(sampled.t.simpleExporter.getFinishedSpans()).toHaveLength(5);
    const sampledRecords = sampled.t.sink.records.length;
    const sampledCost = await sampled.t.metricCostUsd();
    const dropped = await run(new AlwaysOffSampler(), agentRequest);
    expect(dropped.t.sink.records).toHaveLength(sampledRecords);
    expect(dropped.t.sink.records).toHaveLength(1);
    expect(await dropped.t.metricCostUsd()).toBeCloseTo(sampledCost, 12);
    expect(sampledCost).toBeCloseTo(CALL.total, 12);
  });

  it('changes nothing in a sampled trace', async () => {
    const { t } = await run(new AlwaysOnSampler(), agentRequest);
    const exported = t.simpleExporter.getFinishedSpans();
    expect(exported.map(s => s.name).sort()).toEqual(
      [
        'ChatOpenAI',
        'GET /chat',
        'POST',
        'chat gpt-4o-mini',
        'invoke_agent helper',
      ].sort(),
    );
    expect(
      exported.every(s => s.spanContext().traceFlags === TraceFlags.SAMPLED),
    ).toBe(true);
  });

  it('records an LLM span under a remote parent that was not sampled', async () => {
    const remote = (flags: TraceFlags): Context =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: flags,
        isRemote: true,
      });
    const { t } = await run(new AlwaysOnSampler(), tt => {
      context.with(remote(TraceFlags.NONE), () => clientCall(tt));
      context.with(remote(TraceFlags.SAMPLED), () => clientCall(tt));
    });
    expect(t.sink.records).toHaveLength(2);
    expect(t.simpleExporter.getFinishedSpans().map(s => s.name)).toEqual([
      'POST',
      'chat gpt-4o-mini',
    ]);
  });
});

describe('attribution in a dropped trace', () => {
  const attributed = (t: SampledTracing): void =>
    request(t, { 'user.id': 'u-root' }, () =>
      withAttribution({ tenantId: 'acme' }, () => clientCall(t)),
    );

  it('takes the context attribution (withAttribution) as in a sampled trace', async () => {
    for (const root of [new AlwaysOnSampler(), new AlwaysOffSampler()]) {
      const { t } = await run(root, attributed);
      expect(t.sink.records).toHaveLength(1);
      expect(t.sink.records[0]?.identity.tenantId).toBe('acme');
      const points = await t.metricPoints('gen_ai.client.cost');
      expect(points.map(p => p.attributes['tenant'])).toEqual(['acme']);
    }
  });

  it('cannot inherit identity attributes from a request span that was not recorded', async () => {
    const sampled = await run(new AlwaysOnSampler(), attributed);
    expect(sampled.t.sink.records[0]?.identity.userId).toBe('u-root');
    const dropped = await run(new AlwaysOffSampler(), attributed);
    expect(dropped.t.sink.records[0]?.identity.userId).toBeUndefined();
  });

  it('inherits identity attributes from a recorded LLM wrapper', async () => {
    const { t } = await run(new AlwaysOffSampler(), tt =>
      request(tt, {}, () => {
        const agent = tt.provider
          .getTracer('agent')
          .startSpan('invoke_agent helper', {
            attributes: {
              'gen_ai.operation.name': 'invoke_agent',
              'user.id': 'u-agent',
            },
          });
        within(agent, () => clientCall(tt));
        agent.end();
      }),
    );
    expect(t.sink.records[0]?.identity.userId).toBe('u-agent');
  });
});

describe('exactly once across a dropped non-LLM span between two layers', () => {
  const retried =
    (scopes: Scopes) =>
    (t: SampledTracing): void =>
      request(t, {}, () =>
        frameworkCall(
          t,
          () => {
            const retry = t.provider.getTracer('app').startSpan('retry');
            within(retry, () => clientCall(t, scopes));
            retry.end();
          },
          scopes,
        ),
      );

  it.each([
    ['known', KNOWN],
    ['unknown', UNKNOWN],
  ] as const)(
    'counts the call once, sampled or dropped (%s scopes)',
    async (_, scopes) => {
      const sampled = await run(new AlwaysOnSampler(), retried(scopes));
      expect(sampled.t.sink.records).toHaveLength(1);
      const dropped = await run(new AlwaysOffSampler(), retried(scopes));
      expect(dropped.t.ended.map(s => s.name)).toEqual([
        'POST',
        'chat gpt-4o-mini',
        'retry',
        'ChatOpenAI',
      ]);
      expect(dropped.t.sink.records).toHaveLength(1);
      expect(await dropped.t.metricCostUsd()).toBeCloseTo(CALL.total, 12);
    },
  );

  it('without recordDescendants, only the stacked-layer rule (known scopes) keeps it once', async () => {
    const options = { recordDescendants: false };
    const known = await run(new AlwaysOffSampler(), retried(KNOWN), options);
    expect(known.t.sink.records).toHaveLength(1);
    const unknown = await run(
      new AlwaysOffSampler(),
      retried(UNKNOWN),
      options,
    );
    // The mark of the client call stays on the unrecorded `retry` span:
    // the framework span is priced as well. The default records `retry`.
    expect(unknown.t.sink.records).toHaveLength(2);
  });
});
