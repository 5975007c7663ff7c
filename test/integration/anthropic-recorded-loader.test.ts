/**
 * The fixture loader (`test/fixtures/emitters/load-recorded-spans.ts`):
 * every spelling of a time is read exactly, and a replay keeps the recorded
 * ids, parents and times and ends spans in END ORDER through the processors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type {
  ReadableSpan,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  loadRecording,
  replayRecordedSpans,
  toSpanLike,
} from '../fixtures/emitters/load-recorded-spans.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const OTHER_TRACE = '1bf7651916cd43dd8448eb211c80319d';

function writeFixture(spans: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'recorded-'));
  const path = join(dir, 'fixture.json');
  writeFileSync(path, JSON.stringify({ setup: 't', packages: {}, spans }));
  return path;
}

describe('loadRecording / replayRecordedSpans', () => {
  it('reads nanosecond strings, [s, ns] pairs and kind names exactly', () => {
    const path = writeFixture([
      {
        name: 'child',
        scope: 'child-scope',
        kind: 'CLIENT',
        traceId: TRACE,
        spanId: '00000000000000b2',
        parentSpanId: '00000000000000a1',
        startTime: [1764500000, 123456789],
        endTime: '1764500001999999999',
        endOrder: 0,
        attributes: { a: 1 },
      },
    ]);
    const [span] = loadRecording(path).spans;
    expect(span?.startTimeUnixNano).toBe(1764500000123456789n);
    expect(span?.endTimeUnixNano).toBe(1764500001999999999n);
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.scope).toEqual({ name: 'child-scope' });
    expect(toSpanLike(span!).startTimeMillis).toBe(1764500000123);
  });

  it('replays with the recorded ids, parents and times, in end order', async () => {
    // The parent ends last; a span in another trace ends between.
    const path = writeFixture([
      {
        name: 'parent',
        scope: { name: 'p', version: '1' },
        kind: 1,
        traceId: TRACE,
        spanId: '00000000000000a1',
        startTimeUnixNano: '1764500000000000000',
        endTimeUnixNano: '1764500003000000000',
        endOrder: 2,
        attributes: {},
      },
      {
        name: 'child',
        scope: { name: 'c' },
        kind: 2,
        traceId: TRACE,
        spanId: '00000000000000b2',
        parentSpanId: '00000000000000a1',
        startTimeUnixNano: '1764500000500000000',
        endTimeUnixNano: '1764500001000000000',
        endOrder: 0,
        attributes: { x: 'y' },
      },
      {
        name: 'elsewhere',
        scope: { name: 'c' },
        kind: 2,
        traceId: OTHER_TRACE,
        spanId: '00000000000000c3',
        startTimeUnixNano: '1764500001500000000',
        endTimeUnixNano: '1764500002000000000',
        endOrder: 1,
        attributes: {},
      },
    ]);
    const events: string[] = [];
    const seen: ReadableSpan[] = [];
    const processor: SpanProcessor = {
      onStart: span => events.push(`start ${span.name}`),
      onEnd: span => {
        events.push(`end ${span.name}`);
        seen.push(span);
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const replayed = await replayRecordedSpans(loadRecording(path).spans, [
      processor,
    ]);
    expect(events).toEqual([
      'start parent',
      'start child',
      'end child',
      'start elsewhere',
      'end elsewhere',
      'end parent',
    ]);
    expect(replayed.map(span => span.name)).toEqual([
      'child',
      'elsewhere',
      'parent',
    ]);
    const child = seen[0]!;
    expect(child.spanContext().traceId).toBe(TRACE);
    expect(child.spanContext().spanId).toBe('00000000000000b2');
    expect(child.parentSpanContext?.spanId).toBe('00000000000000a1');
    expect(child.startTime).toEqual([1764500000, 500000000]);
    expect(child.endTime).toEqual([1764500001, 0]);
    expect(child.instrumentationScope.name).toBe('c');
    expect(child.attributes['x']).toBe('y');
    expect(seen[1]!.spanContext().traceId).toBe(OTHER_TRACE);
    expect(seen[1]!.parentSpanContext).toBeUndefined();
  });
});
