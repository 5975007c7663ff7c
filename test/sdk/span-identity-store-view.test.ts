/**
 * `SpanIdentityStore` keeps the view a shell made of a span at its start
 * (`keepView`), so the evaluation at its end reads that object once (`takeView`, issue 15):
 * one view per span, never another span's, and only for spans the store
 * remembered (`onStart`). The entry keeps its attribution and parent.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { SpanIdentityStore } from '../../src/sdk/span-identity-store.js';
import { SdkSpanView } from '../../src/sdk/sdk-span-view.js';
import { ATTRIBUTION_CONTEXT_KEY } from '../../src/attribution/attribution-context.js';

const tracer = new BasicTracerProvider().getTracer('test');

describe('SpanIdentityStore views', () => {
  it('keeps one view per span, for remembered spans only', () => {
    const store = new SpanIdentityStore();
    const parent = tracer.startSpan('parent', {}, ROOT_CONTEXT);
    const context = trace.setSpan(ROOT_CONTEXT, parent);
    const a = tracer.startSpan('a', {}, context);
    const b = tracer.startSpan('b', {}, context);
    const loose = tracer.startSpan('loose', {}, context);
    store.onStart(a, context);
    store.onStart(b, context);
    const viewA = new SdkSpanView(a as never);
    const viewB = new SdkSpanView(b as never);
    store.keepView(a, viewA);
    store.keepView(b, viewB);
    store.keepView(loose, new SdkSpanView(loose as never));
    expect(store.takeView(b)).toBe(viewB);
    expect(store.takeView(a)).toBe(viewA);
    // Taken once: the entry lets it go.
    expect(store.takeView(a)).toBeUndefined();
    expect(viewA.spanId).toBe(a.spanContext().spanId);
    expect(viewA.parentSpanId).toBe(parent.spanContext().spanId);
    // Never remembered at its start: no entry, no view.
    expect(store.takeView(loose)).toBeUndefined();
    expect(store.has(loose)).toBe(false);
    // The parent link is kept beside the view.
    parent.setAttribute('user.id', 'u-7');
    expect(store.ancestorTags(a)).toEqual({ userId: 'u-7' });
  });

  it('keeps the attribution of the start context beside the view', () => {
    const store = new SpanIdentityStore();
    const span = tracer.startSpan('call', {}, ROOT_CONTEXT);
    const scoped = ROOT_CONTEXT.setValue(ATTRIBUTION_CONTEXT_KEY, {
      tags: { tenantId: 'acme' },
      source: 'context',
    });
    store.onStart(span, scoped);
    store.keepView(span, new SdkSpanView(span as never));
    expect(store.explicitTags(span)).toEqual({ tenantId: 'acme' });
    expect(store.explicitSource(span)).toBe('context');
    // A later onStart (a second processor) keeps what is there.
    store.onStart(span, ROOT_CONTEXT);
    expect(store.explicitTags(span)).toEqual({ tenantId: 'acme' });
    expect(store.takeView(span)).toBeInstanceOf(SdkSpanView);
  });
});
