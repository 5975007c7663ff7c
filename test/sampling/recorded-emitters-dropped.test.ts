/**
 * Every recorded emitter setup (test/fixtures/emitters) as if its whole
 * trace had been dropped by head sampling: the real `CostAwareSampler`
 * around ParentBased(AlwaysOff) decides, span by span in start order and
 * from what each span had at start (name, `attributesAtStart`, parent
 * recorded or not), which spans are recorded; only those are replayed
 * through `CostSpanProcessor`. What it counts must be what it counts with
 * every span recorded, and, for the stacked setups, each real call at its
 * published price.
 */
import {
  ROOT_CONTEXT,
  SamplingDecision,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CostAwareSampler, type CostRecord } from '../../src/index.js';
import { classifyAtStart } from '../../src/core/select/classify-at-start.js';
import { classifySpan } from '../../src/core/select/classify-span.js';
import {
  loadRecording,
  replayRecordedSpans,
  type RecordedSpan,
} from '../fixtures/emitters/load-recorded-spans.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import { CostSpanProcessor } from '../../src/index.js';
import {
  STACKED_SETUPS,
  expectedCallCosts,
  sortedUsd,
} from '../select/stacked-truth.js';

const FIXTURES = new URL('../fixtures/emitters/', import.meta.url);
const FILES = ['anthropic', 'bedrock', 'google', 'langchain'].flatMap(dir =>
  readdirSync(new URL(`${dir}/`, FIXTURES))
    .filter(name => name.endsWith('.json'))
    .map(name => `${dir}/${name}`),
);

/** The spans the sampler records when the root sampler drops everything. */
function recordedWhenDropped(
  spans: readonly RecordedSpan[],
  recordDescendants = true,
): Set<string> {
  const sampler = new CostAwareSampler(
    new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    { recordDescendants },
  );
  const byId = new Map(spans.map(span => [span.spanId, span]));
  const recorded = new Set<string>();
  const decided = new Set<string>();
  const decide = (span: RecordedSpan): void => {
    if (decided.has(span.spanId)) return;
    const parent =
      span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    if (parent !== undefined) decide(parent);
    let ctx: Context = ROOT_CONTEXT;
    if (span.parentSpanId !== undefined) {
      const parentSpan = trace.wrapSpanContext({
        traceId: span.traceId,
        spanId: span.parentSpanId,
        traceFlags: TraceFlags.NONE,
      });
      // A recorded parent: recording, not sampled (the parent has not
      // ended yet when its child starts).
      ctx = trace.setSpan(
        ROOT_CONTEXT,
        parent !== undefined && recorded.has(parent.spanId)
          ? Object.assign(parentSpan, { isRecording: () => true })
          : parentSpan,
      );
    }
    const result = sampler.shouldSample(
      ctx,
      span.traceId,
      span.name,
      span.kind,
      (span.attributesAtStart ?? span.attributes) as Attributes,
      [],
    );
    decided.add(span.spanId);
    if (result.decision === SamplingDecision.RECORD) recorded.add(span.spanId);
    expect(result.decision).not.toBe(SamplingDecision.RECORD_AND_SAMPLED);
  };
  for (const span of spans) decide(span);
  return recorded;
}

async function counted(spans: readonly RecordedSpan[]): Promise<CostRecord[]> {
  const sink = new RecordingSink();
  await replayRecordedSpans(spans, [
    new CostSpanProcessor({ sinks: [sink], metrics: false, env: {} }),
  ]);
  return sink.records;
}

const usd = (records: readonly CostRecord[]): number[] =>
  sortedUsd(records.map(r => (r.cost.priced ? r.cost.totalUsd : -1)));

describe('recorded emitters in a trace dropped by head sampling', () => {
  it('has fixtures to replay', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of FILES) {
    it(`${file}: the same calls counted as with every span recorded`, async () => {
      const recording = loadRecording(new URL(file, FIXTURES));
      const spans = recording.spans;
      const keep = recordedWhenDropped(spans);
      const all = await counted(spans);
      const dropped = await counted(spans.filter(s => keep.has(s.spanId)));
      expect(dropped).toHaveLength(all.length);
      expect(usd(dropped)).toEqual(usd(all));
      // Every span the processor treats as an LLM call or wrapper at its
      // end was recorded, except OpenInference LangChain's runnables
      // (named after the run, no attribute at start) outside an LLM span.
      for (const span of spans) {
        const role = classifySpan(span.attributes as Attributes).role;
        if (role === 'other' || keep.has(span.spanId)) continue;
        expect(role).toBe('wrapper');
        expect(span.scope.name).toBe(
          '@arizeai/openinference-instrumentation-langchain',
        );
      }
      const setup = STACKED_SETUPS.find(s => s.file === file);
      const truth = setup && expectedCallCosts(setup, recording);
      if (truth !== undefined && truth !== null) {
        expect(usd(dropped)).toEqual(sortedUsd(truth));
      }
    });
  }

  it('catches every LLM call span of the recordings from its start alone', () => {
    const missed: string[] = [];
    for (const file of FILES) {
      for (const span of loadRecording(new URL(file, FIXTURES)).spans) {
        const end = classifySpan(span.attributes as Attributes).role;
        const start = classifyAtStart(
          span.name,
          (span.attributesAtStart ?? span.attributes) as Attributes,
        );
        if (end === 'inference' && start === 'other') {
          missed.push(`${file}: ${span.scope.name} ${span.name}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });
});
