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
import { CLAUDE_3_5_HAIKU, expectedCost } from '../helpers/prices.js';
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

  // ChatAnthropic, Claude 3.5 Haiku at Anthropic's published prices. Call 1:
  // 1200 uncached, 4000 cache read, 2000 cache write (5 min), 350 output;
  // call 2 (stream): 900 / 300 / 100 / 200.
  const truth = [
    expectedCost(CLAUDE_3_5_HAIKU, {
      uncachedInput: 1200,
      cacheRead: 4000,
      cacheWrite: 2000,
      output: 350,
    }).total,
    expectedCost(CLAUDE_3_5_HAIKU, {
      uncachedInput: 900,
      cacheRead: 300,
      cacheWrite: 100,
      output: 200,
    }).total,
  ];
  const anthropicCases: readonly {
    file: string;
    expected: number[];
    why: string;
  }[] = [
    {
      file: 'anthropic-openinference+openinference-anthropic.json',
      expected: truth,
      why: 'the Anthropic instrumentation span has every count',
    },
    {
      file: 'anthropic-openinference.json',
      // The spans itemize no cache write (billed as input) and carry
      // LangChain's streamed output_tokens 201.
      expected: [
        expectedCost(CLAUDE_3_5_HAIKU, {
          uncachedInput: 3200,
          cacheRead: 4000,
          output: 350,
        }).total,
        expectedCost(CLAUDE_3_5_HAIKU, {
          uncachedInput: 1000,
          cacheRead: 300,
          output: 201,
        }).total,
      ],
      why: 'the best its spans allow',
    },
    {
      file: 'anthropic-traceloop.json',
      // invoke: 1200 uncached input, no cache counts; stream: 1300 (cache
      // included, not itemized), output 201.
      expected: [
        expectedCost(CLAUDE_3_5_HAIKU, { uncachedInput: 1200, output: 350 })
          .total,
        expectedCost(CLAUDE_3_5_HAIKU, { uncachedInput: 1300, output: 201 })
          .total,
      ],
      why: 'the best its spans allow',
    },
  ];
  for (const { file, expected, why } of anthropicCases) {
    it(`${file}: each call priced exactly once (${why})`, async () => {
      const { spans, sink } = await replay(file);
      expectPricedOncePerCall(spans, expected);
      expectProcessTotal({ sink } as unknown as TestTracing, expected);
    });
  }
});
