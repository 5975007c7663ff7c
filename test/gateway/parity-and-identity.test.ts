/**
 * One core, two shells: spans priced by the gateway carry exactly the
 * attributes `CostSpanProcessor` writes in-process (cost, skip markers,
 * identity, privacy rewrites), and identity is read from the span and from
 * its ancestors in the same request.
 */
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../../src/processor/cost-span-processor.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from './helpers/gateway-fixture.js';
import { emitScenario, scenarioTracers } from './helpers/genai-scenario.js';
import {
  comparableFromReadable,
  type Canonical,
} from './helpers/reference-decoder.js';

const numberOfTokens = (attributes: Record<string, Canonical>): number => {
  const value = attributes['gen_ai.usage.input_tokens'];
  return value !== undefined && 'i' in value ? Number(value.i) : NaN;
};

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** An agent run with identity on the agent span, a chat call under it, and an e-mail as user id. */
function emitAgent(tracers: { app: Tracer; genai: Tracer }, n: number): void {
  const request = tracers.app.startSpan(
    `POST /agent/${n}`,
    { kind: SpanKind.SERVER },
    ROOT_CONTEXT,
  );
  const agent = tracers.genai.startSpan(
    'invoke_agent support',
    {
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'user.id': `user-${n}`,
        'tenant.id': 'acme',
        'app.plan': 'pro',
      },
    },
    trace.setSpan(ROOT_CONTEXT, request),
  );
  const chat = tracers.genai.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 300,
        'gen_ai.usage.output_tokens': 50,
      },
    },
    trace.setSpan(ROOT_CONTEXT, agent),
  );
  chat.end();
  const emailChat = tracers.genai.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 5,
        'user.id': 'jane.doe@example.com',
      },
    },
    trace.setSpan(ROOT_CONTEXT, agent),
  );
  emailChat.end();
  agent.end();
  request.end();
}

function emitAll(provider: BasicTracerProvider): void {
  const tracers = scenarioTracers(provider);
  for (let n = 0; n < 2; n++) {
    emitScenario(tracers, n);
    emitAgent(tracers, n);
  }
}

describe('gateway and span processor', () => {
  it('write the same attributes on the same spans', async () => {
    // In-process: CostSpanProcessor writes in onEnding.
    const inProcess = new InMemorySpanExporter();
    const local = new BasicTracerProvider({
      spanProcessors: [
        new CostSpanProcessor({ env: {} }),
        new SimpleSpanProcessor(inProcess),
      ],
    });
    emitAll(local);
    await local.forceFlush();
    const expected = new Map<string, Record<string, Canonical>>();
    for (const span of inProcess.getFinishedSpans()) {
      expected.set(
        span.name + '#' + expected.size,
        comparableFromReadable(span).attributes,
      );
    }

    // Through the gateway: a plain app exporting over OTLP, in batches.
    fixture = await startGatewayFixture();
    const remote = new BasicTracerProvider({
      spanProcessors: [
        new BatchSpanProcessor(
          new OTLPTraceExporter({ url: fixture.gateway.url }),
        ),
      ],
    });
    emitAll(remote);
    await remote.forceFlush();
    await remote.shutdown();
    await local.shutdown();

    // Span ids differ between the two runs; compare by name in end order.
    const byName = (entries: [string, Record<string, Canonical>][]) =>
      entries
        .map(
          ([key, attributes]) =>
            [key.split('#')[0] as string, attributes] as const,
        )
        .sort(
          ([a, x], [b, y]) =>
            a.localeCompare(b) ||
            JSON.stringify(x).localeCompare(JSON.stringify(y)),
        );
    const gatewaySpans = fixture
      .forwardedSpans()
      .map(
        (span, index) =>
          [`${span.name}#${index}`, span.attributes] as [
            string,
            Record<string, Canonical>,
          ],
      );
    expect(byName(gatewaySpans)).toEqual(byName([...expected]));
    expect(gatewaySpans.length).toBe(expected.size);
  });
});

describe('identity in the gateway', () => {
  it('comes from the span and its ancestors in the request, with privacy rules applied', async () => {
    fixture = await startGatewayFixture();
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new BatchSpanProcessor(
          new OTLPTraceExporter({ url: fixture.gateway.url }),
        ),
      ],
    });
    emitAgent(scenarioTracers(provider), 7);
    await provider.forceFlush();
    await provider.shutdown();
    const chats = fixture
      .forwardedSpans()
      .filter(span => span.name === 'chat gpt-4o-mini');
    const inherited = chats.find(
      span => numberOfTokens(span.attributes) === 300,
    );
    expect(inherited?.attributes).toMatchObject({
      'user.id': { s: 'user-7' },
      'tenant.id': { s: 'acme' },
      'app.plan': { s: 'pro' },
      'gen_ai.cost.attribution.source': { s: 'ancestor' },
    });
    const email = chats.find(span => span !== inherited);
    expect(email?.attributes['user.id']).toEqual({ s: 'redacted-email' });
    expect(JSON.stringify(fixture.forwardedSpans())).not.toContain(
      'jane.doe@example.com',
    );
    expect(
      fixture.records.map(record => record.identity.userId).sort(),
    ).toEqual(['redacted-email', 'user-7']);
    expect(
      fixture.records.every(record => record.identity.tenantId === 'acme'),
    ).toBe(true);
  });

  it('pseudonymizes user ids with a secret, on every span', async () => {
    fixture = await startGatewayFixture({ hmacSecret: 'test-secret' });
    const provider = new BasicTracerProvider({
      spanProcessors: [
        new BatchSpanProcessor(
          new OTLPTraceExporter({ url: fixture.gateway.url }),
        ),
      ],
    });
    emitAgent(scenarioTracers(provider), 8);
    await provider.forceFlush();
    await provider.shutdown();
    const text = JSON.stringify(fixture.forwardedSpans());
    expect(text).not.toContain('user-8');
    expect(text).not.toContain('jane.doe@example.com');
    const agent = fixture
      .forwardedSpans()
      .find(span => span.name === 'invoke_agent support');
    expect(agent?.attributes['user.id']).toEqual({
      s: expect.stringMatching(/^hmac:[0-9a-f]{32}$/) as unknown,
    });
  });
});
