/**
 * The recorded stacked setups through `CostEnrichingSpanExporter` alone
 * (an SDK without `onEnding`): spans arrive ended, in export batches. In one
 * batch the better-informed record of each call is priced; one span per
 * batch, the first priced wins; each real call is counted exactly once.
 */
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { CostEnrichingSpanExporter } from '../../src/index.js';
import { replayRecordedSpans } from '../fixtures/emitters/load-recorded-spans.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import {
  callCount,
  expectedCallCosts,
  loadSetup,
  sortedUsd,
  STACKED_SETUPS,
} from '../select/stacked-truth.js';

const cost = (span: ReadableSpan): number | undefined =>
  span.attributes['gen_ai.usage.cost'] as number | undefined;

async function replay(
  file: string,
  batched: boolean,
): Promise<{ sink: RecordingSink; spans: ReadableSpan[] }> {
  const setup = STACKED_SETUPS.find(s => s.file === file);
  if (setup === undefined) throw new Error(file);
  const sink = new RecordingSink();
  const memory = new InMemorySpanExporter();
  const wrapper = new CostEnrichingSpanExporter(memory, {
    sinks: [sink],
    metrics: false,
    env: {},
  });
  const processor: SpanProcessor = batched
    ? new BatchSpanProcessor(wrapper, { maxExportBatchSize: 512 })
    : new SimpleSpanProcessor(wrapper);
  await replayRecordedSpans(loadSetup(setup).spans, [processor]);
  await processor.forceFlush();
  return { sink, spans: memory.getFinishedSpans() };
}

describe('recorded stacked instrumentations through CostEnrichingSpanExporter', () => {
  for (const setup of STACKED_SETUPS) {
    it(`${setup.file}: one export batch, each call priced once from the better-informed record`, async () => {
      const recording = loadSetup(setup);
      const { sink, spans } = await replay(setup.file, true);
      expect(sink.records.filter(r => r.cost.priced)).toHaveLength(
        callCount(recording),
      );
      const priced = spans.map(cost).filter(v => v !== undefined);
      expect(priced).toHaveLength(callCount(recording));
      const expected = expectedCallCosts(setup, recording);
      if (expected !== undefined) {
        expect(sortedUsd(priced)).toEqual(sortedUsd(expected));
      }
    });

    it(`${setup.file}: one span per export, each call priced once (first priced wins)`, async () => {
      const recording = loadSetup(setup);
      const { sink, spans } = await replay(setup.file, false);
      expect(sink.records.filter(r => r.cost.priced)).toHaveLength(
        callCount(recording),
      );
      expect(spans.map(cost).filter(v => v !== undefined)).toHaveLength(
        callCount(recording),
      );
    });
  }
});
