/**
 * End to end: the processor with both aliases, the real OTLP/protobuf
 * exporter, a local receiver decoding what arrived; and the same through the
 * gateway. The attributes a backend
 * gets are the ones the aliases promise, with their wire types (a JSON
 * string, a string array, doubles).
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, expect, it } from 'vitest';
import { CostSpanProcessor, withAttribution } from '../../src/index.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../helpers/otlp-receiver.js';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../gateway/helpers/gateway-fixture.js';

let receiver: OtlpReceiver | undefined;
let provider: NodeTracerProvider | undefined;
let gateway: GatewayFixture | undefined;
afterEach(async () => {
  await provider?.shutdown();
  await receiver?.close();
  await gateway?.close();
  context.disable();
  provider = undefined;
  receiver = undefined;
  gateway = undefined;
});

/** One gpt-4o chat span: 10,000 input (4,000 cached), 1,000 output. */
function emitCall(tracer: ReturnType<NodeTracerProvider['getTracer']>): void {
  const span = tracer.startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    },
  });
  span.setAttributes({
    'gen_ai.response.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 10_000,
    'gen_ai.usage.cache_read.input_tokens': 4_000,
    'gen_ai.usage.output_tokens': 1_000,
  });
  span.end();
}

it('langfuse and openinference aliases survive OTLP/protobuf export', async () => {
  receiver = await startOtlpReceiver();
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor({
        env: {},
        aliases: ['langfuse', 'openinference'],
        hmacSecret: 'e2e-secret',
      }),
      new BatchSpanProcessor(new OTLPTraceExporter({ url: receiver.url })),
    ],
  });
  const tracer = provider.getTracer('app');
  withAttribution(
    {
      userId: 'alice@example.com',
      sessionId: 's-9',
      tenantId: 'acme',
      feature: 'chat',
    },
    () => emitCall(tracer),
  );
  await provider.forceFlush();
  const spans = receiver.spans();
  expect(spans).toHaveLength(1);
  const attributes = spans[0]?.attributes ?? {};

  const details = JSON.parse(
    attributes['langfuse.observation.cost_details'] as string,
  ) as Record<string, number>;
  expectUsd(details['input'], 0.015, 'input'); // 6,000 x $2.50/M
  expectUsd(details['input_cached_tokens'], 0.005, 'cached'); // 4,000 x $1.25/M
  expect(details['input_cache_creation']).toBe(0);
  expectUsd(details['output'], 0.01, 'output'); // 1,000 x $10/M
  expectUsd(details['total'], 0.03, 'total');

  expect(attributes['langfuse.trace.tags']).toEqual([
    'tenant:acme',
    'feature:chat',
  ]);
  expect(attributes['langfuse.observation.metadata.tenant_id']).toBe('acme');
  expect(attributes['user.id']).toMatch(/^hmac:[0-9a-f]{32}$/);
  expect(JSON.stringify(attributes)).not.toContain('alice@example.com');
  expect(attributes['gen_ai.conversation.id']).toBe('s-9');

  expectUsd(attributes['llm.cost.total'], 0.03, 'llm.cost.total');
  expectUsd(attributes['llm.cost.prompt_details.input'], 0.015);
  expectUsd(attributes['llm.cost.prompt_details.cache_read'], 0.005);
  expect(attributes['llm.cost.prompt_details.cache_write']).toBe(0);
  expectUsd(attributes['llm.cost.completion_details.output'], 0.01);
  expect(attributes['gen_ai.cost.source']).toBe('price_table');
});

it('the gateway writes the same alias attributes on spans it prices', async () => {
  gateway = await startGatewayFixture({
    aliases: ['langfuse', 'openinference'],
  });
  provider = new NodeTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: gateway.gateway.url }),
      ),
    ],
  });
  const tracer = provider.getTracer('app');
  const span = tracer.startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'session.id': 's-3',
      'tenant.id': 'acme',
      'langfuse.trace.tags': ['beta'],
    },
  });
  span.setAttributes({
    'gen_ai.response.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 10_000,
    'gen_ai.usage.cache_read.input_tokens': 4_000,
    'gen_ai.usage.output_tokens': 1_000,
  });
  span.end();
  await provider.forceFlush();
  const spans = gateway.sink.spans();
  expect(spans).toHaveLength(1);
  const attributes = spans[0]?.attributes ?? {};
  const details = JSON.parse(
    attributes['langfuse.observation.cost_details'] as string,
  ) as Record<string, number>;
  expectUsd(details['total'], 0.03, 'total');
  expectUsd(details['input_cached_tokens'], 0.005, 'cached');
  expect(attributes['langfuse.trace.tags']).toEqual(['beta', 'tenant:acme']);
  expect(attributes['gen_ai.conversation.id']).toBe('s-3');
  expectUsd(attributes['llm.cost.prompt_details.input'], 0.015);
});
