/**
 * The recorded LangChain.js spans (test/fixtures/emitters/langchain/*.json,
 * real ids, parents, times, attributes at start and END ORDER) replayed
 * through `CostSpanProcessor`: each real call priced exactly once, at the
 * published gpt-4o-mini prices applied to what the best span of the call
 * tells (OpenInference's spans carry the cache detail, Traceloop's do not).
 * The stacked fixtures fail until the stacked-instrumentation selection
 * lands; the Traceloop fixtures' workflow spans reach the sinks as
 * `unpriced` until `workflow` is classified as a wrapper.
 */
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../../src/index.js';
import {
  loadRecording,
  replayRecordedSpans,
} from '../fixtures/emitters/load-recorded-spans.js';
import type { FakeChatUsage } from '../helpers/fake-openai-server.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import type { TestTracing } from '../helpers/tracing.js';
import {
  costWithoutCacheDetail,
  expectPricedOncePerCall,
  expectProcessTotal,
  trueCost,
} from './langchain-scenario.js';

const FIXTURES = new URL('../fixtures/emitters/langchain/', import.meta.url);

/** Which fixtures carry the cache detail on some span of each call. */
const CASES: readonly { file: string; cacheDetail: boolean }[] = [
  { file: 'openinference.json', cacheDetail: true },
  { file: 'openinference+otel-openai.json', cacheDetail: true },
  { file: 'openinference+otel-openai-concurrent.json', cacheDetail: true },
  { file: 'traceloop.json', cacheDetail: false },
  { file: 'traceloop+traceloop-openai.json', cacheDetail: false },
  { file: 'traceloop+traceloop-openai-concurrent.json', cacheDetail: false },
];

async function replay(file: string) {
  const recording = loadRecording(new URL(file, FIXTURES));
  const sink = new RecordingSink();
  const exporter = new InMemorySpanExporter();
  await replayRecordedSpans(recording.spans, [
    new CostSpanProcessor({ env: {}, sinks: [sink] }),
    new SimpleSpanProcessor(exporter),
  ]);
  const calls = recording['calls'] as readonly { usage: FakeChatUsage }[];
  return { spans: exporter.getFinishedSpans(), sink, calls };
}

describe('recorded LangChain.js spans through CostSpanProcessor', () => {
  for (const { file, cacheDetail } of CASES) {
    it(`${file}: each call priced exactly once`, async () => {
      const { spans, sink, calls } = await replay(file);
      const expected = calls.map(call =>
        cacheDetail ? trueCost(call.usage) : costWithoutCacheDetail(call.usage),
      );
      expectPricedOncePerCall(spans, expected);
      expectProcessTotal({ sink } as unknown as TestTracing, expected);
    });
  }

  for (const file of ['traceloop.json', 'traceloop+traceloop-openai.json']) {
    it(`${file}: workflow spans are wrappers (no record reaches the sinks)`, async () => {
      const { spans, sink } = await replay(file);
      expect(spans.some(span => span.name.startsWith('workflow '))).toBe(true);
      const workflowRecords = sink.records.filter(
        record => record.call.provider === 'langchain',
      );
      expect(workflowRecords).toEqual([]);
    });
  }
});
