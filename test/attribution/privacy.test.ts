/**
 * With pseudonymization on, no raw user id or e-mail address appears
 * anywhere in exported spans (attributes, names, events), whichever
 * instrumentation wrote it, and whether the processor (onEnding) or the
 * exporter wrapper did the rewriting.
 */
import { OpenTelemetry } from '@ai-sdk/otel';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type {
  ReadableSpan,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { generateText as generateTextV7 } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { generateText as generateTextV6 } from 'ai-v6';
import { MockLanguageModelV3 } from 'ai-v6/test';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CostEnrichingSpanExporter,
  CostSpanProcessor,
  recordLlmCall,
  withAttribution,
} from '../../src/index.js';
import { IdentityPolicy } from '../../src/entries/core.js';

const SECRET = 'test-secret-do-not-use';
const RAW_IDS = [
  'ctx-raw-user-1',
  'v6-raw-user-2',
  'v7-raw-user-3',
  'http-raw-user-4',
  'oi-raw-user-5',
  'tl-raw-user-6',
  'manual-raw-user-7',
  'lf-raw-user-8',
] as const;
const RAW_EMAILS = [
  'carol@example.com',
  'dave@example.net',
  'erin@example.org',
  'frank@example.io',
] as const;

const USAGE = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 10, text: 10, reasoning: 0 },
};
const RESULT = {
  content: [{ type: 'text' as const, text: 'ok' }],
  finishReason: { unified: 'stop' as const, raw: 'stop' },
  usage: USAGE,
  warnings: [],
  response: { id: 'resp-v6', modelId: 'gpt-4o-mini', timestamp: new Date(0) },
};
/** A distinct response id: one response id seen from two scopes is a duplicate. */
const RESULT_V7 = {
  ...RESULT,
  response: { ...RESULT.response, id: 'resp-v7' },
};

/** Emits identity the way every supported instrumentation does. */
async function emitEverything(tracer: (name: string) => Tracer): Promise<void> {
  const app = tracer('app');
  await withAttribution(
    { userId: RAW_IDS[0], sessionId: RAW_EMAILS[0] },
    async () => {
      await app.startActiveSpan(
        'GET /chat',
        { attributes: { 'user.id': RAW_IDS[3], 'enduser.id': RAW_IDS[3] } },
        async http => {
          // AI SDK v6 metadata, with an e-mail under a key that is not even allow-listed.
          await generateTextV6({
            model: new MockLanguageModelV3({
              provider: 'openai.chat',
              modelId: 'gpt-4o-mini',
              doGenerate: async () => RESULT,
            }),
            prompt: 'hello',
            experimental_telemetry: {
              isEnabled: true,
              tracer: tracer('ai'),
              metadata: { userId: RAW_IDS[1], email: RAW_EMAILS[1] },
            },
          });
          // AI SDK v7 runtime context: on invoke_agent and step (wrappers).
          await generateTextV7({
            model: new MockLanguageModelV4({
              provider: 'openai.chat',
              modelId: 'gpt-4o-mini',
              doGenerate: async () => RESULT_V7,
            }),
            prompt: 'hello',
            runtimeContext: { userId: RAW_IDS[2], contact: RAW_EMAILS[2] },
            telemetry: {
              integrations: new OpenTelemetry({
                tracer: tracer('gen_ai'),
                runtimeContext: true,
              }),
              includeRuntimeContext: { userId: true, contact: true },
            },
          });
          // OpenInference (JSON metadata), Traceloop and Langfuse keys on LLM spans.
          const oi = tracer('openinference').startSpan('ChatCompletion', {
            attributes: {
              'openinference.span.kind': 'LLM',
              'llm.model_name': 'gpt-4o-mini',
              'llm.provider': 'openai',
              'llm.token_count.prompt': 100,
              'llm.token_count.completion': 10,
              metadata: JSON.stringify({
                userId: RAW_IDS[4],
                profile: { email: RAW_EMAILS[3] },
              }),
              'user.id': RAW_IDS[4],
            },
          });
          oi.end();
          const tl = tracer('@traceloop/instrumentation-openai').startSpan(
            'openai.chat',
            {
              attributes: {
                'gen_ai.system': 'openai',
                'gen_ai.request.model': 'gpt-4o-mini',
                'gen_ai.usage.input_tokens': 100,
                'gen_ai.usage.output_tokens': 10,
                'traceloop.association.properties.user_id': RAW_IDS[5],
                'langfuse.user.id': RAW_IDS[7],
                'langfuse.trace.metadata.langfuse_user_id': RAW_IDS[7],
              },
            },
          );
          tl.end();
          recordLlmCall({
            provider: 'openai',
            model: 'gpt-4o-mini',
            usage: { inputTokens: 100, outputTokens: 10 },
            tags: { userId: RAW_IDS[6] },
            tracer: tracer('manual'),
          });
          // A non-LLM span stamped by e.g. Langfuse propagateAttributes.
          const db = app.startSpan('db.query', {
            attributes: {
              'db.system': 'postgresql',
              'user.id': RAW_IDS[3],
              'langfuse.session.id': RAW_EMAILS[0],
            },
          });
          db.end();
          http.end();
        },
      );
    },
  );
}

function serialize(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map(span => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
    })),
  );
}

interface Setup {
  readonly provider: NodeTracerProvider;
  readonly exporter: InMemorySpanExporter;
}

function setup(
  kind: 'processor' | 'exporter-wrapper',
  options: { hmacSecret?: string },
): Setup {
  const exporter = new InMemorySpanExporter();
  const processors: SpanProcessor[] =
    kind === 'processor'
      ? [
          new CostSpanProcessor({ env: {}, ...options }),
          new SimpleSpanProcessor(exporter),
        ]
      : // No CostSpanProcessor at all: the wrapper is the only privacy layer.
        [
          new BatchSpanProcessor(
            new CostEnrichingSpanExporter(exporter, { env: {}, ...options }),
          ),
        ];
  const provider = new NodeTracerProvider({ spanProcessors: processors });
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  return { provider, exporter };
}

let current: Setup | undefined;
afterEach(async () => {
  await current?.provider.shutdown();
  current = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
});

describe.each(['processor', 'exporter-wrapper'] as const)(
  'privacy via the %s',
  kind => {
    it('with a secret: no raw user id or e-mail anywhere in exported spans', async () => {
      current = setup(kind, { hmacSecret: SECRET });
      await emitEverything(name => current!.provider.getTracer(name));
      await current.provider.forceFlush();
      const spans = current.exporter.getFinishedSpans();
      expect(spans.length).toBeGreaterThanOrEqual(10);
      const json = serialize(spans);
      const leaks = [...RAW_IDS, ...RAW_EMAILS].filter((raw: string) =>
        json.includes(raw),
      );
      expect(leaks).toEqual([]);
      expect(json).not.toMatch(/[^\s@"]+@[^\s@"]+\.[a-z]{2,}/);
      // ...and the pseudonyms are there instead, usable for joins.
      const policy = new IdentityPolicy({ hmacSecret: SECRET });
      expect(json).toContain(policy.pseudonym(RAW_IDS[3]));
      const priced = spans.filter(
        s => s.attributes['gen_ai.usage.cost'] !== undefined,
      );
      expect(priced).toHaveLength(5);
      const userIds = priced.map(span => span.attributes['user.id']);
      // Without a processor, explicit withAttribution tags are not seen; every
      // call still finds a user on itself or an ancestor in the batch.
      expect(
        userIds.every(
          id => typeof id === 'string' && /^hmac:[0-9a-f]{32}$/.test(id),
        ),
      ).toBe(true);
    });

    it('without a secret: ids stay raw, e-mails never reach LLM spans or our attributes', async () => {
      current = setup(kind, {});
      await emitEverything(name => current!.provider.getTracer(name));
      await current.provider.forceFlush();
      const spans = current.exporter.getFinishedSpans();
      const llmSpans = spans.filter(
        s => !['GET /chat', 'db.query'].includes(s.name),
      );
      const json = serialize(llmSpans);
      expect(RAW_EMAILS.filter((raw: string) => json.includes(raw))).toEqual(
        [],
      );
      expect(json).toContain('redacted-email');
      expect(json).toContain(RAW_IDS[1]);
    });
  },
);
