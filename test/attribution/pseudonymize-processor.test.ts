/**
 * Issue 9, case 3 through the real SDK shells: with
 * `OTEL_GENAI_COST_HMAC_SECRET` set, no raw e-mail or user id reaches the
 * exporter from `CostSpanProcessor` or `CostEnrichingSpanExporter`, wherever
 * it hides on the span (metadata JSON over 65,536 characters, arrays,
 * nesting, escapes, duplicate JSON keys); without a secret, no raw e-mail
 * on LLM spans unless `OTEL_GENAI_COST_ALLOW_RAW_EMAIL` opts in.
 */
import { createHmac } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CostEnrichingSpanExporter,
  CostSpanProcessor,
} from '../../src/index.js';
import { hiddenValuesArb, leaks } from './pseudonymize-hiding-places.js';

const SECRET = 'processor-test-secret';
const EMAIL = 'victim.user@example.com';

function hmac(value: string): string {
  return `hmac:${createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 32)}`;
}

/** An OpenInference LLM span (gpt-4o, 1,000 in / 100 out). */
const LLM_ATTRIBUTES: Attributes = {
  'openinference.span.kind': 'LLM',
  'llm.provider': 'openai',
  'llm.model_name': 'gpt-4o',
  'llm.token_count.prompt': 1000,
  'llm.token_count.completion': 100,
};
/** gpt-4o: $2.50/M input, $10/M output. */
const LLM_COST = (1000 * 2.5 + 100 * 10) / 1e6;

interface Shell {
  readonly exporter: InMemorySpanExporter;
  emit(attributes: Attributes, name?: string): ReadableSpan;
  close(): Promise<void>;
}

function processorShell(env: Record<string, string>): Shell {
  const exporter = new InMemorySpanExporter();
  return shell(exporter, [
    new CostSpanProcessor({ env }),
    new SimpleSpanProcessor(exporter),
  ]);
}

function exporterShell(env: Record<string, string>): Shell {
  const exporter = new InMemorySpanExporter();
  const wrapped: SpanExporter = new CostEnrichingSpanExporter(exporter, {
    env,
  });
  return shell(exporter, [new SimpleSpanProcessor(wrapped)]);
}

function shell(
  exporter: InMemorySpanExporter,
  spanProcessors: ConstructorParameters<
    typeof BasicTracerProvider
  >[0] extends infer O
    ? O extends { spanProcessors?: infer P }
      ? NonNullable<P>
      : never
    : never,
): Shell {
  const provider = new BasicTracerProvider({ spanProcessors });
  const tracer = provider.getTracer('pseudonymize-test');
  return {
    exporter,
    emit(attributes, name = 'ChatCompletion') {
      exporter.reset();
      tracer.startSpan(name, { attributes }).end();
      const spans = exporter.getFinishedSpans();
      expect(spans).toHaveLength(1);
      return spans[0]!;
    },
    close: () => provider.shutdown(),
  };
}

const serialize = (span: ReadableSpan): string =>
  JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
  });

const shells: Shell[] = [];
afterAll(async () => {
  await Promise.all(shells.map(s => s.close()));
});
function open(make: () => Shell): Shell {
  const made = make();
  shells.push(made);
  return made;
}

const SHELLS = [
  ['CostSpanProcessor', processorShell],
  ['CostEnrichingSpanExporter', exporterShell],
] as const;

describe.each(SHELLS)('%s with a secret', (_name, make) => {
  const secretShell = open(() => make({ OTEL_GENAI_COST_HMAC_SECRET: SECRET }));

  for (const padding of [1_000, 70_000, 500_000]) {
    it(`pseudonymizes an e-mail userId in OpenInference metadata of ${padding}+ characters`, () => {
      const metadata = JSON.stringify({
        userId: EMAIL,
        note: 'x'.repeat(padding),
      });
      expect(metadata.length).toBeGreaterThan(padding);
      const span = secretShell.emit({ ...LLM_ATTRIBUTES, metadata });
      expect(leaks(serialize(span), [EMAIL])).toEqual([]);
      // Read as the call's user, written as its pseudonym, and priced.
      expect(span.attributes['user.id']).toBe(hmac(EMAIL));
      const bag = JSON.parse(span.attributes['metadata'] as string) as Record<
        string,
        unknown
      >;
      expect(bag['userId']).toBe(hmac(EMAIL));
      expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(LLM_COST, 12);
    });
  }

  it('rewrites identity lists and nested metadata on a span that is not an LLM call', () => {
    const span = secretShell.emit(
      {
        'db.system': 'postgresql',
        'ai.telemetry.metadata.userIds': ['plain-user-1', EMAIL],
        'langfuse.trace.tags': ['production', EMAIL],
        'langfuse.trace.metadata': JSON.stringify({
          a: {
            b: {
              c: { d: { customer: { user_id: 'plain-user-2', mail: EMAIL } } },
            },
          },
          userIds: ['plain-user-3'],
        }),
      },
      'db.query',
    );
    expect(
      leaks(serialize(span), [
        EMAIL,
        'plain-user-1',
        'plain-user-2',
        'plain-user-3',
      ]),
    ).toEqual([]);
    expect(span.attributes['ai.telemetry.metadata.userIds']).toEqual([
      hmac('plain-user-1'),
      hmac(EMAIL),
    ]);
    expect(span.attributes['langfuse.trace.tags']).toEqual([
      'production',
      hmac(EMAIL),
    ]);
  });

  it('keeps no e-mail hidden by \\u0040 escapes or behind a duplicate JSON key', () => {
    const metadata = `{"contact":"${EMAIL.replace('@', '\\u0040')}","userId":"raw-user-9","userId":"${hmac('x')}"}`;
    const span = secretShell.emit({ ...LLM_ATTRIBUTES, metadata });
    expect(leaks(serialize(span), [EMAIL, 'raw-user-9'])).toEqual([]);
  });

  it('never lets a generated hiding place through (fast-check, LLM and plain spans)', () => {
    fc.assert(
      fc.property(hiddenValuesArb, fc.boolean(), (hidden, llm) => {
        const attributes = llm
          ? { ...LLM_ATTRIBUTES, ...hidden.attributes }
          : { 'http.route': '/x', ...hidden.attributes };
        const span = secretShell.emit(
          attributes,
          llm ? 'ChatCompletion' : 'GET /x',
        );
        expect(
          leaks(serialize(span), [...hidden.emails, ...hidden.ids]),
        ).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe.each(SHELLS)('%s without a secret', (_name, make) => {
  const defaultShell = open(() => make({}));
  const rawShell = open(() =>
    make({ OTEL_GENAI_COST_ALLOW_RAW_EMAIL: 'true' }),
  );

  it('writes no raw e-mail on an LLM span, wherever it hides (fast-check)', () => {
    fc.assert(
      fc.property(hiddenValuesArb, hidden => {
        const span = defaultShell.emit({
          ...LLM_ATTRIBUTES,
          ...hidden.attributes,
        });
        expect(leaks(serialize(span), hidden.emails)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('replaces the long-metadata e-mail by redacted-email, and keeps it when opted in', () => {
    const metadata = JSON.stringify({
      userId: EMAIL,
      note: 'x'.repeat(70_000),
    });
    const redacted = defaultShell.emit({ ...LLM_ATTRIBUTES, metadata });
    expect(JSON.parse(redacted.attributes['metadata'] as string).userId).toBe(
      'redacted-email',
    );
    expect(redacted.attributes['user.id']).toBe('redacted-email');
    const raw = rawShell.emit({ ...LLM_ATTRIBUTES, metadata });
    expect(raw.attributes['metadata']).toBe(metadata);
    expect(raw.attributes['user.id']).toBe(EMAIL);
  });
});
