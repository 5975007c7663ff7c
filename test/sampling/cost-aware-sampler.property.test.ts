/**
 * The wrapper's contract, against generated sampler results, names and
 * attributes: it only ever turns NOT_RECORD into RECORD, only for a span
 * that is an LLM call or wrapper at start, keeping the wrapped sampler's
 * attributes and trace state; every other result comes back as the very
 * object the wrapped sampler returned. Span names are table-tested.
 */
import {
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  TraceFlags,
  createTraceState,
  trace,
  type Attributes,
  type Span,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostAwareSampler } from '../../src/index.js';
import { classifyAtStart } from '../../src/core/select/classify-at-start.js';
import { classifySpan } from '../../src/core/select/classify-span.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** A sampler that returns `result` and remembers what it was asked. */
class FixedSampler implements Sampler {
  readonly calls: unknown[][] = [];
  constructor(private readonly result: SamplingResult) {}
  shouldSample(...args: unknown[]): SamplingResult {
    this.calls.push(args);
    return this.result;
  }
  toString(): string {
    return 'Fixed';
  }
}

const MARKER_KEYS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'ai.operationId',
  'openinference.span.kind',
  'llm.model_name',
  'langfuse.observation.type',
];
const MARKER_VALUES = [
  'chat',
  'invoke_agent',
  'execute_tool',
  'ai.generateText',
  'ai.generateText.doGenerate',
  'LLM',
  'CHAIN',
  'generation',
  'span',
  'openai',
];

const decision = fc.constantFrom(
  SamplingDecision.NOT_RECORD,
  SamplingDecision.RECORD,
  SamplingDecision.RECORD_AND_SAMPLED,
);
const result = fc.record(
  {
    decision,
    attributes: fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(fc.string(), fc.integer()),
      { maxKeys: 3 },
    ),
    traceState: fc
      .constantFrom('vendor=a', 'ot=th:0', 'x=1,y=2')
      .map(createTraceState),
  },
  { requiredKeys: ['decision'] },
);
/** Attributes with and without LLM markers. */
const attributes = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom(...MARKER_KEYS),
      fc.oneof(fc.constantFrom(...MARKER_VALUES), fc.string(), fc.integer()),
      { maxKeys: 3 },
    ),
    fc.dictionary(
      fc.string({ maxLength: 12 }).filter(k => !MARKER_KEYS.includes(k)),
      fc.oneof(fc.string(), fc.integer(), fc.boolean()),
      { maxKeys: 4 },
    ),
  )
  .map(([markers, rest]) => ({ ...rest, ...markers }) as Attributes);
/** A parent span: none, not recording, or recording, sampled or not. */
const parent = fc.option(
  fc
    .record({ recording: fc.boolean(), flags: fc.constantFrom(0, 1, 3) })
    .map(({ recording, flags }): Span => {
      const spanContext = {
        traceId: TRACE_ID,
        spanId: '00f067aa0ba902b7',
        traceFlags: flags,
      };
      const span = trace.wrapSpanContext(spanContext);
      return recording
        ? Object.assign(span, { isRecording: () => true })
        : span;
    }),
  { nil: undefined },
);
const spanName = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'GET /chat',
    'chat gpt-4o-mini',
    'ChatOpenAI',
    'ai.generateText',
    'invoke_agent helper',
    'SELECT users',
    'Anthropic Messages',
  ),
);

describe('CostAwareSampler: the wrapper only upgrades NOT_RECORD to RECORD for LLM spans', () => {
  it('returns the wrapped result itself, or that result with RECORD for a dropped LLM span or a span below a recorded unsampled one', () => {
    fc.assert(
      fc.property(
        result,
        spanName,
        attributes,
        fc.constantFrom(SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.SERVER),
        parent,
        fc.constantFrom(true, false, undefined),
        (inner, name, attrs, kind, parentSpan, recordDescendants) => {
          const wrapped = new FixedSampler(inner);
          const ctx =
            parentSpan === undefined
              ? ROOT_CONTEXT
              : trace.setSpan(ROOT_CONTEXT, parentSpan);
          const links = [
            {
              context: {
                traceId: TRACE_ID,
                spanId: 'b7ad6b7169203331',
                traceFlags: 1,
              },
            },
          ];
          const out = new CostAwareSampler(wrapped, {
            recordDescendants,
          }).shouldSample(ctx, TRACE_ID, name, kind, attrs, links);
          // The wrapped sampler is asked once, with exactly these arguments.
          expect(wrapped.calls).toHaveLength(1);
          const [c, traceId, n, k, a, l] = wrapped.calls[0] as unknown[];
          expect(c).toBe(ctx);
          expect([traceId, n, k]).toEqual([TRACE_ID, name, kind]);
          expect(a).toBe(attrs);
          expect(l).toBe(links);
          const belowRecorded =
            recordDescendants !== false &&
            parentSpan !== undefined &&
            parentSpan.isRecording() &&
            (parentSpan.spanContext().traceFlags & TraceFlags.SAMPLED) === 0;
          const upgrades =
            inner.decision === SamplingDecision.NOT_RECORD &&
            (classifyAtStart(name, attrs) !== 'other' || belowRecorded);
          if (!upgrades) {
            expect(out).toBe(inner);
            // Never left dropped: a span the processor's own rule calls an
            // LLM call or wrapper.
            if (inner.decision === SamplingDecision.NOT_RECORD) {
              expect(classifySpan(attrs).role).toBe('other');
            }
            return;
          }
          expect(out.decision).toBe(SamplingDecision.RECORD);
          expect(out.attributes).toBe(inner.attributes);
          expect(out.traceState).toBe(inner.traceState);
          expect(Object.keys(out).sort()).toEqual(Object.keys(inner).sort());
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('never touches a span without LLM markers or LLM name', () => {
    fc.assert(
      fc.property(
        result,
        fc.constantFrom(
          'GET /chat',
          'POST /v1/orders',
          'SELECT users',
          'redis GET',
          'chatbot',
        ),
        fc.dictionary(
          fc.string({ maxLength: 12 }).filter(k => !MARKER_KEYS.includes(k)),
          fc.oneof(fc.string(), fc.integer()),
          { maxKeys: 5 },
        ),
        (inner, name, attrs) => {
          const out = new CostAwareSampler(
            new FixedSampler(inner),
          ).shouldSample(
            ROOT_CONTEXT,
            TRACE_ID,
            name,
            SpanKind.SERVER,
            attrs,
            [],
          );
          expect(out).toBe(inner);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('records every span the processor prices or treats as a wrapper, from its attributes at start', () => {
    fc.assert(
      fc.property(attributes, spanName, (attrs, name) => {
        fc.pre(classifySpan(attrs).role !== 'other');
        const inner = { decision: SamplingDecision.NOT_RECORD };
        const out = new CostAwareSampler(new FixedSampler(inner)).shouldSample(
          ROOT_CONTEXT,
          TRACE_ID,
          name,
          SpanKind.CLIENT,
          attrs,
          [],
        );
        expect(out.decision).toBe(SamplingDecision.RECORD);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('CostAwareSampler: span names of emitters that set nothing at start', () => {
  const dropped = (name: string): SamplingDecision =>
    new CostAwareSampler(new AlwaysOffSampler()).shouldSample(
      ROOT_CONTEXT,
      TRACE_ID,
      name,
      SpanKind.INTERNAL,
      {},
      [],
    ).decision;

  it.each([
    'Anthropic Messages',
    'bedrock.converse',
    'bedrock.invoke_model',
    'anthropic.messages.create',
    'ChatOpenAI',
    'ChatAnthropic',
    'ChatBedrockConverse',
    'chat gpt-4o-mini',
    'chat claude-3-5-haiku-20241022',
    'generate_content gemini-2.5-flash',
    'embeddings text-embedding-3-small',
    'text_completion gpt-3.5-turbo-instruct',
    'ai.generateText',
    'ai.streamText.doStream',
    'ai.embed.doEmbed',
    'invoke_agent weather-agent',
    'execute_tool get_weather',
    'workflow RunnableSequence',
    'task summarize',
  ])('records %s', name => {
    expect(dropped(name)).toBe(SamplingDecision.RECORD);
  });

  it.each([
    'GET /chat',
    'chat',
    'chatbot reply',
    'Chat',
    'chat  ',
    'RunnableSequence',
    'StrOutputParser',
    'BedrockRuntime.InvokeModel',
    'aim.start',
    'handle-request',
    'ChatOpenAI'.repeat(30),
  ])('leaves %s dropped', name => {
    expect(dropped(name)).toBe(SamplingDecision.NOT_RECORD);
  });
});

describe('CostAwareSampler.toString', () => {
  it('names the wrapped sampler like the SDK samplers do', () => {
    const inner = new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(0.01),
    });
    const sampler = new CostAwareSampler(inner);
    expect(sampler.toString()).toBe(`CostAware{${inner.toString()}}`);
    expect(sampler.toString()).toMatch(
      /^CostAware\{ParentBased\{root=TraceIdRatioBased\{0\.01\}, /,
    );
  });
});
