/**
 * The identity key scan (src/core/identity/identity-key-scan.ts) is one
 * module-wide slot shared by the reads of one evaluation. User code can run
 * while it is open: the `diag` logger (the e-mail redaction and unpriced
 * warnings are given during an evaluation) and, after it, the sinks. Here
 * that code ends another LLM span, so one evaluation runs inside another:
 * each span must still be priced and scrubbed as if evaluated alone, and a
 * throwing sink must change nothing for the next span. No scan stays open
 * past an evaluation (it would keep the span's attributes alive).
 */
import {
  diag,
  DiagLogLevel,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../../src/index.js';
import type { CostRecord } from '../../src/core/cost-record.js';
import { scannedIdentityKeys } from '../../src/core/identity/identity-key-scan.js';

afterEach(() => diag.disable());

// gpt-4o, published: $2.50 per 1M input tokens, $10 per 1M output tokens.
const GPT_4O_INPUT = 2.5 / 1e6;
const GPT_4O_OUTPUT = 10 / 1e6;

/** An AI SDK call span; `extra` past 16 keys makes V8 keep a dictionary. */
function callAttributes(
  input: number,
  identity: Attributes,
  extra: number,
): Attributes {
  const attributes: Attributes = {
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.model.provider': 'openai.chat',
    'ai.model.id': 'gpt-4o',
    'ai.usage.promptTokens': input,
    'ai.usage.completionTokens': 10,
    ...identity,
  };
  for (let i = 0; i < extra; i++) attributes[`http.noise_${i}`] = i;
  return attributes;
}

function run(nested: boolean, throwingSink: boolean) {
  const pending: Span[] = [];
  const endPending = (): void => {
    if (nested) pending.shift()?.end();
  };
  // Ends a pending span from inside the evaluation that logs.
  diag.setLogger(
    {
      error: endPending,
      warn: endPending,
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const records: CostRecord[] = [];
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new CostSpanProcessor({
        env: {},
        metrics: false,
        sinks: [
          {
            record: (record: CostRecord) => {
              records.push(record);
              endPending();
              if (throwingSink) throw new Error('sink failure');
            },
          },
        ],
      }),
      new SimpleSpanProcessor(exporter),
    ],
  });
  const tracer = provider.getTracer('ai');
  const inner = [0, 1, 2].map(i =>
    tracer.startSpan('ai.generateText.doGenerate', {
      attributes: callAttributes(
        200 + i,
        {
          'ai.telemetry.metadata.userId': `inner${i}@example.com`,
          'ai.telemetry.metadata.tenantId': `tenant-${i}`,
        },
        i * 12,
      ),
    }),
  );
  pending.push(...inner);
  const outer = [0, 1, 2].map(i =>
    tracer.startSpan('ai.generateText.doGenerate', {
      attributes: callAttributes(
        100 + i,
        {
          'user.id': `outer${i}@example.com`,
          'metadata.userId': `outer${i}@example.com`,
          // An unknown model's tenant: a warning more while scanning.
          'ai.telemetry.metadata.plan': 'pro',
        },
        20,
      ),
    }),
  );
  for (const span of [...outer, ...inner]) span.end();
  // Nothing kept past an evaluation (no attribute object outlives its span).
  for (const span of [...outer, ...inner]) {
    const { attributes } = span as unknown as { attributes: Attributes };
    expect(scannedIdentityKeys(attributes)).toBeUndefined();
  }
  const byInput = new Map<number, Attributes>();
  for (const span of exporter.getFinishedSpans()) {
    byInput.set(span.attributes['ai.usage.promptTokens'] as number, {
      ...span.attributes,
    });
  }
  return { byInput, records };
}

describe('identity key scan: evaluations nested through user code', () => {
  it('prices and scrubs every span as when evaluated alone', () => {
    const alone = run(false, false);
    for (const throwing of [false, true]) {
      const nested = run(true, throwing);
      expect(nested.byInput.size).toBe(6);
      expect(nested.records).toHaveLength(6);
      for (const [input, attributes] of nested.byInput) {
        expect(attributes, `span with ${input} input tokens`).toEqual(
          alone.byInput.get(input),
        );
        expect(attributes['gen_ai.usage.cost']).toBeCloseTo(
          input * GPT_4O_INPUT + 10 * GPT_4O_OUTPUT,
          12,
        );
        // No raw e-mail survives on any span (no secret: redacted).
        for (const value of Object.values(attributes)) {
          expect(String(value)).not.toMatch(/@example\.com/);
        }
      }
      const tenants = nested.records
        .map(record => record.identity.tenantId)
        .filter(tenant => tenant !== undefined)
        .sort();
      expect(tenants).toEqual(['tenant-0', 'tenant-1', 'tenant-2']);
    }
  });
});
