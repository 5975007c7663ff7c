/**
 * Cross-service attribution through W3C baggage (opt-in on both sides):
 * `withAttribution(tags, fn, { propagation: 'baggage' })` puts the tags in
 * the `baggage` header; a receiving CostSpanProcessor with
 * `propagation: 'baggage'` copies the allow-listed entries into attribution.
 */
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withAttribution } from '../../src/index.js';
import { chatSpan } from '../helpers/chat-span.js';
import { setupTracing, type TestTracing } from '../helpers/tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function outgoingHeaders(
  tags: Record<string, string>,
  useBaggage: boolean,
): Record<string, string> {
  const carrier: Record<string, string> = {};
  withAttribution(
    tags,
    () => propagation.inject(context.active(), carrier),
    useBaggage ? { propagation: 'baggage' } : {},
  );
  return carrier;
}

describe('baggage propagation', () => {
  it('carries allow-listed tags to the next service, and only when both sides opt in', async () => {
    tracing = setupTracing({
      propagation: 'baggage',
      tagKeys: ['region'],
    });
    propagation.setGlobalPropagator(
      new CompositePropagator({
        propagators: [
          new W3CTraceContextPropagator(),
          new W3CBaggagePropagator(),
        ],
      }),
    );
    const headers = outgoingHeaders(
      { userId: 'u-42', tenantId: 'acme', region: 'eu', note: 'x' },
      true,
    );
    // The warning in the docs: everything goes out in a plain header.
    expect(headers['baggage']).toContain('userId=u-42');
    expect(
      outgoingHeaders({ userId: 'u-42' }, false)['baggage'],
    ).toBeUndefined();

    // Receiving side: extract the incoming context, start the call under it.
    const incoming = propagation.extract(ROOT_CONTEXT, headers);
    context.with(incoming, () => chatSpan(tracing!.tracer()));
    // A client that spells the key the BaggageSpanProcessor way.
    context.with(
      propagation.extract(ROOT_CONTEXT, {
        baggage: 'user.id=u-7,session.id=s-7',
      }),
      () => chatSpan(tracing!.tracer()),
    );
    const [first, second] = await tracing.spans();
    expect(first?.attributes).toMatchObject({
      'user.id': 'u-42',
      'tenant.id': 'acme',
      'app.tag.region': 'eu',
      'gen_ai.cost.attribution.source': 'context',
    });
    expect(first?.attributes['app.tag.note']).toBeUndefined();
    expect(second?.attributes).toMatchObject({
      'user.id': 'u-7',
      'session.id': 's-7',
    });
  });

  it('local withAttribution wins over incoming baggage; baggage is ignored unless enabled', async () => {
    tracing = setupTracing({ propagation: 'baggage' });
    const incoming = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({
        userId: { value: 'from-baggage' },
        tenantId: { value: 't-b' },
      }),
    );
    context.with(incoming, () =>
      withAttribution({ userId: 'local' }, () => chatSpan(tracing!.tracer())),
    );
    const [span] = await tracing.spans();
    expect(span?.attributes).toMatchObject({
      'user.id': 'local',
      'tenant.id': 't-b',
    });
    await tracing.shutdown();

    tracing = setupTracing();
    context.with(incoming, () => chatSpan(tracing!.tracer()));
    const [ignored] = await tracing.spans();
    expect(ignored?.attributes['user.id']).toBeUndefined();
    expect(ignored?.attributes['gen_ai.cost.attribution.source']).toBe('none');
  });
});
