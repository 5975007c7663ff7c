import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../examples/otlp-backends/main.js';
import { otlpTarget } from '../../examples/otlp-backends/otlp-targets.js';
import { decodeExportTraceRequest } from '../../src/gateway/otlp/decode-export-trace-request.js';
import { expectUsd } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';
import { resetGlobals } from './globals.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedRequest,
} from '../helpers/otlp-receiver.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
afterEach(() => {
  receiver.received.length = 0;
  resetGlobals();
});

/** 500 uncached + 1,500 cached input, 500 output. */
const EXPECTED = expectedCost(GPT_4O_MINI, {
  uncachedInput: 500,
  cacheRead: 1500,
  output: 500,
});

function onlySpanAttributes(
  received: readonly ReceivedRequest[],
): Map<string, unknown> {
  expect(received).toHaveLength(1);
  const [request] = received;
  expect(request?.headers['content-type']).toBe('application/x-protobuf');
  const decoded = decodeExportTraceRequest(
    new Uint8Array(request?.body ?? []),
    'protobuf',
  );
  const spans = decoded.resourceSpans.flatMap(r =>
    r.scopeSpans.flatMap(s => s.spans),
  );
  expect(spans).toHaveLength(1);
  return new Map(
    (spans[0]?.attributes ?? []).map(kv => [kv.key, scalar(kv.value)]),
  );
}

/** The field that is set (protobufjs puts the defaults of unset ones on the prototype). */
function scalar(value: object | null | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  const set = Object.entries(value).filter(([key]) =>
    Object.hasOwn(value, key),
  );
  return set[0]?.[1];
}

describe('examples/otlp-backends', () => {
  it('langfuse: /api/public/otel/v1/traces with Basic auth and the ingestion version header', async () => {
    await run('langfuse', {
      LANGFUSE_BASE_URL: `${receiver.origin}/`,
      LANGFUSE_PUBLIC_KEY: 'pk-lf-1',
      LANGFUSE_SECRET_KEY: 'sk-lf-2',
    });
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/public/otel/v1/traces');
    expect(request?.headers['authorization']).toBe(
      `Basic ${Buffer.from('pk-lf-1:sk-lf-2').toString('base64')}`,
    );
    expect(request?.headers['x-langfuse-ingestion-version']).toBe('4');
    const attributes = onlySpanAttributes(receiver.received);
    expectUsd(attributes.get('gen_ai.usage.cost'), EXPECTED.total);
    expect(attributes.get('user.id')).toBe('user-42');
    expect(attributes.get('session.id')).toBe('session-7');
    expect(attributes.has('llm.cost.total')).toBe(false);
  });

  it('phoenix: /v1/traces, bearer API key, OpenInference cost names as well', async () => {
    await run('phoenix', {
      PHOENIX_COLLECTOR_ENDPOINT: receiver.origin,
      PHOENIX_API_KEY: 'phx-key',
    });
    expect(receiver.received[0]?.path).toBe('/v1/traces');
    expect(receiver.received[0]?.headers['authorization']).toBe(
      'Bearer phx-key',
    );
    const attributes = onlySpanAttributes(receiver.received);
    expectUsd(attributes.get('gen_ai.usage.cost'), EXPECTED.total);
    expectUsd(attributes.get('llm.cost.total'), EXPECTED.total);
    expectUsd(attributes.get('llm.cost.completion'), EXPECTED.output);
  });

  it('datadog agent: its OTLP HTTP receiver, no credentials in the app', async () => {
    await run('datadog-agent', { DD_OTLP_HTTP_ENDPOINT: receiver.origin });
    expect(receiver.received[0]?.path).toBe('/v1/traces');
    expect(receiver.received[0]?.headers['authorization']).toBeUndefined();
    expectUsd(
      onlySpanAttributes(receiver.received).get('gen_ai.usage.cost'),
      EXPECTED.total,
    );
  });

  it('datadog agentless: the intake URL for your site and the dd-* headers', async () => {
    await run('datadog-agentless', {
      DD_OTLP_TRACES_URL: `${receiver.origin}/intake/v1/traces`,
      DD_API_KEY: 'dd-key',
      DD_OTLP_SOURCE: 'my-org',
    });
    expect(receiver.received[0]?.path).toBe('/intake/v1/traces');
    expect(receiver.received[0]?.headers).toMatchObject({
      'dd-protocol': 'otlp',
      'dd-api-key': 'dd-key',
      'dd-otlp-source': 'my-org',
    });
    expectUsd(
      onlySpanAttributes(receiver.received).get('gen_ai.usage.cost'),
      EXPECTED.total,
    );
  });

  it('says which setting is missing instead of sending unauthenticated', () => {
    expect(() => otlpTarget('langfuse', {})).toThrow(
      /LANGFUSE_PUBLIC_KEY is required/,
    );
    expect(() => otlpTarget('datadog-agentless', { DD_API_KEY: 'x' })).toThrow(
      /DD_OTLP_TRACES_URL is required/,
    );
  });
});
