/**
 * The recorded Traceloop Google Gen AI spans
 * (test/fixtures/emitters/google/*.json) replayed through `CostSpanProcessor`
 * (recorded ids, times, attributes at start, END ORDER): each real call
 * priced exactly once at the published gemini-2.5-flash prices, with its
 * thinking tokens at the output rate, from the usage the fake server
 * answered (the fixture's `calls`, Gemini's own semantics).
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
import { expectPricedSpan } from '../helpers/cost-assertions.js';
import type { FakeGeminiUsage } from '../helpers/fake-gemini-server.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import type { TestTracing } from '../helpers/tracing.js';
import { geminiExpectedCost, trueGeminiCost } from './google-genai-scenario.js';
import {
  expectPricedOncePerCall,
  expectProcessTotal,
} from './langchain-scenario.js';

const FIXTURES = new URL('../fixtures/emitters/google/', import.meta.url);

const CASES = [
  // @google/genai 1.9 (supported range): no gen_ai.response.id.
  { file: 'traceloop.json', responseIds: false },
  // @google/genai 2.32 with manuallyInstrument: ids present.
  { file: 'traceloop-v2-manual.json', responseIds: true },
] as const;

describe('recorded Google Gen AI spans through CostSpanProcessor', () => {
  for (const { file, responseIds } of CASES) {
    it(`${file}: each call priced exactly once, thinking billed as output`, async () => {
      const recording = loadRecording(new URL(file, FIXTURES));
      const calls = recording['calls'] as readonly {
        responseId: string;
        usage: FakeGeminiUsage;
      }[];
      const sink = new RecordingSink();
      const exporter = new InMemorySpanExporter();
      await replayRecordedSpans(recording.spans, [
        new CostSpanProcessor({ env: {}, sinks: [sink] }),
        new SimpleSpanProcessor(exporter),
      ]);
      const spans = exporter.getFinishedSpans();
      expect(spans).toHaveLength(calls.length);
      // Sequential calls: end order is call order.
      spans.forEach((span, index) => {
        const call = calls[index] as (typeof calls)[number];
        expectPricedSpan(span, geminiExpectedCost(call.usage), { parts: true });
        expect(span.attributes['gen_ai.response.id']).toBe(
          responseIds ? call.responseId : undefined,
        );
      });
      const expected = calls.map(call => trueGeminiCost(call.usage));
      expectPricedOncePerCall(spans, expected);
      expectProcessTotal({ sink } as unknown as TestTracing, expected);
    });
  }
});
