/**
 * The fixture loader (`test/fixtures/emitters/load-recorded-spans.ts`):
 * every spelling of a time is read exactly, and a replay keeps the recorded
 * ids, parents and times and ends spans in END ORDER through the processors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import fc from 'fast-check';
import type {
  ReadableSpan,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadRecording,
  replayRecordedSpans,
  toSpanLike,
} from '../fixtures/emitters/load-recorded-spans.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const OTHER_TRACE = '1bf7651916cd43dd8448eb211c80319d';

const DIR = mkdtempSync(join(tmpdir(), 'recorded-'));
let files = 0;
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function writeFixture(spans: unknown[]): string {
  files += 1;
  const path = join(DIR, `fixture-${files}.json`);
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

describe('replayRecordedSpans: attributes at start', () => {
  it('onStart sees attributesAtStart only; onEnding and the exporter see them all', async () => {
    const path = writeFixture([
      {
        name: 'late',
        scope: 'oi',
        kind: 0,
        traceId: TRACE,
        spanId: '00000000000000d4',
        startTimeUnixNano: '1764500000000000000',
        endTimeUnixNano: '1764500000100000000',
        endOrder: 0,
        attributesAtStart: {},
        attributes: { 'openinference.span.kind': 'LLM' },
      },
    ]);
    const atStart: unknown[] = [];
    const atEnding: unknown[] = [];
    const processor: SpanProcessor = {
      onStart: span => atStart.push({ ...span.attributes }),
      onEnding: span => atEnding.push({ ...span.attributes }),
      onEnd: () => {},
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    await replayRecordedSpans(loadRecording(path).spans, [processor]);
    expect(atStart).toEqual([{}]);
    expect(atEnding).toEqual([{ 'openinference.span.kind': 'LLM' }]);
  });
});

describe('replayRecordedSpans: generated span trees', () => {
  it('ends every span in end order, with its ids, parent and times, and starts each parent before its children', async () => {
    // A random forest: span i's parent is a lower index (or none); times
    // nest inside the parent's window; end order follows end times.
    const forest = fc
      .array(
        fc.record({
          parent: fc.option(fc.nat(), { nil: undefined }),
          startOffset: fc.integer({ min: 0, max: 1_000_000 }),
          length: fc.integer({ min: 1, max: 1_000_000 }),
          newTrace: fc.boolean(),
        }),
        { minLength: 1, maxLength: 12 },
      )
      .map(items => {
        const spans: Record<string, unknown>[] = [];
        const windows: [bigint, bigint][] = [];
        items.forEach((item, index) => {
          const spanId = (index + 1).toString(16).padStart(16, '0');
          const parentIndex =
            item.parent === undefined || index === 0
              ? undefined
              : item.parent % index;
          const base = 1764500000000000000n;
          let start: bigint;
          let end: bigint;
          if (parentIndex === undefined) {
            start = base + BigInt(item.startOffset) * 1000n;
            end = start + BigInt(item.length) * 1000n;
          } else {
            const [ps, pe] = windows[parentIndex] as [bigint, bigint];
            const span = pe - ps;
            start = ps + (BigInt(item.startOffset) * span) / 2_000_000n;
            end = start + ((pe - start) * BigInt(item.length)) / 1_000_001n;
          }
          windows.push([start, end]);
          const parent =
            parentIndex === undefined ? undefined : spans[parentIndex];
          spans.push({
            name: `s${index}`,
            scope: 'gen',
            kind: 0,
            traceId:
              parent !== undefined
                ? parent['traceId']
                : (index + 1).toString(16).padStart(32, 'a'),
            spanId,
            ...(parent !== undefined ? { parentSpanId: parent['spanId'] } : {}),
            startTimeUnixNano: start.toString(),
            endTimeUnixNano: end.toString(),
            attributes: { index },
          });
        });
        // End order: by end time, a child before its parent on a tie.
        const order = spans
          .map((span, index) => ({ span, index }))
          .sort((a, b) => {
            const ea = BigInt(a.span['endTimeUnixNano'] as string);
            const eb = BigInt(b.span['endTimeUnixNano'] as string);
            return ea === eb ? b.index - a.index : ea < eb ? -1 : 1;
          });
        order.forEach(({ span }, endOrder) => {
          span['endOrder'] = endOrder;
        });
        return spans;
      });
    await fc.assert(
      fc.asyncProperty(forest, async spans => {
        const events: string[] = [];
        const ended: ReadableSpan[] = [];
        const processor: SpanProcessor = {
          onStart: span => events.push(`start ${span.spanContext().spanId}`),
          onEnd: span => {
            events.push(`end ${span.spanContext().spanId}`);
            ended.push(span);
          },
          forceFlush: async () => {},
          shutdown: async () => {},
        };
        const recorded = loadRecording(writeFixture(spans)).spans;
        await replayRecordedSpans(recorded, [processor]);
        expect(ended.map(span => span.spanContext().spanId)).toEqual(
          recorded.map(span => span.spanId),
        );
        for (const [index, span] of ended.entries()) {
          const source = recorded[index]!;
          expect(span.spanContext().traceId).toBe(source.traceId);
          expect(span.parentSpanContext?.spanId).toBe(source.parentSpanId);
          const start =
            BigInt(span.startTime[0]) * 1_000_000_000n +
            BigInt(span.startTime[1]);
          const end =
            BigInt(span.endTime[0]) * 1_000_000_000n + BigInt(span.endTime[1]);
          expect(start).toBe(source.startTimeUnixNano);
          expect(end).toBe(source.endTimeUnixNano);
          const started = events.indexOf(`start ${source.spanId}`);
          expect(started).toBeGreaterThanOrEqual(0);
          expect(started).toBeLessThan(events.indexOf(`end ${source.spanId}`));
          if (source.parentSpanId !== undefined) {
            expect(events.indexOf(`start ${source.parentSpanId}`)).toBeLessThan(
              started,
            );
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
