/**
 * The evaluation pipeline on its own: one span in, the span update and the
 * record out; selection, warnings and the one sink step. Expected prices are
 * OpenAI's published gpt-4o list prices (https://openai.com/api/pricing):
 * $2.50 per million input tokens, $10 per million output tokens.
 */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CostRecord, CostSink } from '../../src/core/cost-record.js';
import type { SpanAttributes, SpanLike } from '../../src/core/span-like.js';
import {
  createCostPipeline,
  type CostPipeline,
} from '../../src/pipeline/cost-pipeline.js';
import {
  DEFAULT_PIPELINE_CONFIG,
  type PipelineConfig,
} from '../../src/pipeline/pipeline-config.js';

const usd = (input: number, output: number): number =>
  (input * 2.5 + output * 10) / 1e6;

const chat = (input: number, output: number, extra: SpanAttributes = {}) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  ...extra,
});

let nextId = 0;
const span = (
  attributes: SpanAttributes,
  more: Partial<SpanLike> = {},
): SpanLike => ({
  name: 'chat gpt-4o',
  scopeName: 'test',
  traceId: 'b'.repeat(32),
  spanId: (++nextId).toString(16).padStart(16, '0'),
  parentSpanId: undefined,
  startTimeMillis: Date.parse('2026-11-01T12:00:00Z'),
  attributes,
  ...more,
});

class Sink implements CostSink {
  readonly records: CostRecord[] = [];
  record(record: CostRecord): void {
    this.records.push(record);
  }
}

const pipeline = (
  sinks: readonly CostSink[],
  more: Partial<PipelineConfig> = {},
): CostPipeline =>
  createCostPipeline({ ...DEFAULT_PIPELINE_CONFIG, sinks, ...more });

let warnings: string[] = [];
let errors: string[] = [];
beforeEach(() => {
  warnings = [];
  errors = [];
  const logger: DiagLogger = {
    error: message => errors.push(message),
    warn: message => warnings.push(message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
});
afterEach(() => diag.disable());

describe('CostPipeline', () => {
  it('turns one LLM span into its update and its record, counted only by record()', () => {
    const sink = new Sink();
    const costs = pipeline([sink]);
    const input = span(chat(10_000, 2_000, { 'user.id': 'u-1' }));
    const spanClass = costs.select(input.attributes, input.spanId);
    expect(spanClass).toEqual({ role: 'inference', family: 'gen_ai' });
    const { update, record } = costs.evaluate(input, undefined, spanClass);
    expect(update?.['gen_ai.usage.cost']).toBeCloseTo(usd(10_000, 2_000), 12);
    expect(update?.['gen_ai.cost.source']).toBe('price_table');
    expect(update?.['user.id']).toBe('u-1');
    expect(update?.['gen_ai.cost.attribution.source']).toBe('span');
    expect(record?.cost.priced && record.cost.totalUsd).toBeCloseTo(0.045, 12);
    expect(sink.records).toHaveLength(0);
    costs.record(record as CostRecord);
    expect(sink.records).toEqual([record]);
  });

  it('selects nothing for a plain span, unless a secret asks to rewrite every span', () => {
    const costs = pipeline([]);
    const plain = span({ 'http.request.method': 'GET', 'user.id': 'u-1' });
    expect(costs.select(plain.attributes, plain.spanId)).toBeUndefined();
    const pseudonymizing = pipeline([], {
      identity: { policy: { hmacSecret: 'k' }, aliases: new Set() },
    });
    expect(pseudonymizing.select(plain.attributes, plain.spanId)).toEqual({
      role: 'other',
      family: undefined,
    });
    const { update, record } = pseudonymizing.evaluate(plain, undefined);
    expect(update?.['user.id']).toMatch(/^hmac:[0-9a-f]{32}$/);
    expect(record).toBeUndefined();
  });

  it('selects a plain span an LLM call below it marked, to pass the mark on', () => {
    const costs = pipeline([]);
    const parentId = 'c'.repeat(16);
    costs.evaluate(span(chat(1, 1), { parentSpanId: parentId }), undefined);
    expect(costs.select({}, parentId)).toBeDefined();
  });

  it('warns once per unpriced provider and model, and once for a redacted e-mail', () => {
    const costs = pipeline([]);
    for (let i = 0; i < 3; i += 1) {
      costs.evaluate(
        span(
          chat(1, 1, {
            'gen_ai.request.model': 'no-such-model',
            'user.id': 'a@b.example',
          }),
        ),
        undefined,
      );
    }
    expect(
      warnings.filter(w => w.includes('unpriced (unknown_model)')),
    ).toHaveLength(1);
    expect(warnings.filter(w => w.includes('redacted-email'))).toHaveLength(1);
  });

  it('isolates a sink that throws: the others still get the record', () => {
    const sink = new Sink();
    const costs = pipeline([
      {
        record: () => {
          throw new Error('boom');
        },
      },
      sink,
    ]);
    const { record } = costs.evaluate(span(chat(1, 1)), undefined);
    costs.record(record as CostRecord);
    expect(sink.records).toHaveLength(1);
    expect(errors.some(e => e.includes('sink threw'))).toBe(true);
  });

  it('logs a sink whose async record() rejects, instead of an unhandled rejection', async () => {
    const sink = new Sink();
    const costs = pipeline([
      {
        record: async () => {
          throw new Error('db down');
        },
      },
      sink,
    ]);
    const { record } = costs.evaluate(span(chat(1, 1)), undefined);
    costs.record(record as CostRecord);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(sink.records).toHaveLength(1);
    expect(errors.filter(e => e.includes('sink rejected'))).toHaveLength(1);
  });

  it('flushes every sink before shutting it down, even one whose flush fails', async () => {
    const steps: string[] = [];
    const sink = (name: string, flushFails = false): CostSink => ({
      record: () => {},
      forceFlush: async () => {
        steps.push(`${name} flush`);
        if (flushFails) throw new Error('flush failed');
      },
      shutdown: async () => {
        steps.push(`${name} shutdown`);
      },
    });
    const flushOnly: CostSink = {
      record: () => {},
      forceFlush: async () => {
        steps.push('c flush');
      },
    };
    await pipeline([sink('a'), sink('b', true), flushOnly]).shutdown();
    expect(steps.filter(step => step.startsWith('a'))).toEqual([
      'a flush',
      'a shutdown',
    ]);
    expect(steps.filter(step => step.startsWith('b'))).toEqual([
      'b flush',
      'b shutdown',
    ]);
    expect(steps).toContain('c flush');
    expect(errors.filter(e => e.includes('failed to flush'))).toHaveLength(1);
  });

  it('gives engines with their own exactly-once memory and the same prices', () => {
    const costs = pipeline([]);
    const a = costs.createEngine(100);
    const b = costs.createEngine(100);
    const parent = 'd'.repeat(16);
    costs.evaluate(
      span(chat(1, 1), { parentSpanId: parent }),
      undefined,
      undefined,
      a,
    );
    expect(a.isCovered(parent)).toBe(true);
    expect(b.isCovered(parent)).toBe(false);
    expect(costs.engine.isCovered(parent)).toBe(false);
    const { record } = costs.evaluate(
      span(chat(3000, 700)),
      undefined,
      undefined,
      b,
    );
    expect(record?.cost.priced && record.cost.totalUsd).toBeCloseTo(
      usd(3000, 700),
      12,
    );
  });

  it('writes the published price for any valid token counts, and the record says the same (generated)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2_000_000 }),
        fc.nat({ max: 200_000 }),
        (input, output) => {
          const sink = new Sink();
          const costs = pipeline([sink]);
          const { update, record } = costs.evaluate(
            span(chat(input, output)),
            undefined,
          );
          expect(update?.['gen_ai.usage.cost']).toBeCloseTo(
            usd(input, output),
            9,
          );
          expect(record?.cost.priced && record.cost.totalUsd).toBe(
            update?.['gen_ai.usage.cost'],
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
