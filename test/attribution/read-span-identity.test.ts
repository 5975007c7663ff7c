import { describe, expect, it } from 'vitest';
import {
  normalizeTagKey,
  readSpanIdentity,
  TraceIdentityIndex,
} from '../../src/entries/core.js';
import type { SpanLike } from '../../src/entries/core.js';

describe('readSpanIdentity: every emitter family', () => {
  const cases: [
    string,
    Record<string, string | number | boolean>,
    Record<string, string> | undefined,
  ][] = [
    [
      'no identity at all',
      { 'http.method': 'GET', 'gen_ai.request.model': 'gpt-4o' },
      undefined,
    ],
    [
      'AI SDK v4-v6 telemetry metadata',
      {
        'ai.telemetry.metadata.userId': 'u1',
        'ai.telemetry.metadata.sessionId': 's1',
        'ai.telemetry.metadata.tenantId': 't1',
      },
      { userId: 'u1', sessionId: 's1', tenantId: 't1' },
    ],
    [
      'AI SDK v7 runtime context (flattened nested object)',
      {
        'ai.settings.context.user.id': 'u2',
        'ai.settings.context.plan': 'pro',
      },
      { userId: 'u2', plan: 'pro' },
    ],
    [
      'OpenInference / Langfuse SDK user.id, session.id',
      { 'user.id': 'u3', 'session.id': 's3' },
      { userId: 'u3', sessionId: 's3' },
    ],
    [
      'Langfuse compat keys',
      { 'langfuse.user.id': 'u4', 'langfuse.session.id': 's4' },
      { userId: 'u4', sessionId: 's4' },
    ],
    [
      'Langfuse trace metadata (flattened)',
      {
        'langfuse.trace.metadata.langfuse_user_id': 'u5',
        'langfuse.trace.metadata.feature': 'search',
      },
      { userId: 'u5', feature: 'search' },
    ],
    [
      'Langfuse observation metadata (JSON)',
      { 'langfuse.observation.metadata': '{"tenant_id":"t6","plan":"free"}' },
      { tenantId: 't6', plan: 'free' },
    ],
    [
      'Traceloop association properties',
      {
        'traceloop.association.properties.user_id': 'u7',
        'traceloop.association.properties.tenant': 't7',
      },
      { userId: 'u7', tenantId: 't7' },
    ],
    [
      'OpenInference metadata JSON string',
      { metadata: '{"userId":"u8","session":{"id":"nested-s8"},"tags":["a"]}' },
      { userId: 'u8', sessionId: 'nested-s8' },
    ],
    [
      'OpenInference-Vercel flattened metadata.*',
      { 'metadata.userId': 'u9' },
      { userId: 'u9' },
    ],
    ['semconv enduser.id', { 'enduser.id': 'u10' }, { userId: 'u10' }],
    [
      'gen_ai.conversation.id is the session',
      { 'gen_ai.conversation.id': 'conv-1' },
      { sessionId: 'conv-1' },
    ],
    [
      'numeric ids become strings',
      { 'ai.telemetry.metadata.userId': 42 },
      { userId: '42' },
    ],
    [
      "this library's own output names read back",
      {
        'tenant.id': 't11',
        'app.plan': 'team',
        'app.feature': 'chat',
        'app.tag.region': 'eu',
      },
      { tenantId: 't11', plan: 'team', feature: 'chat', region: 'eu' },
    ],
    [
      'empty and whitespace values are ignored',
      { 'user.id': '  ', 'ai.telemetry.metadata.userId': '' },
      undefined,
    ],
    [
      'malformed JSON metadata is ignored',
      { metadata: '{"userId": ' },
      undefined,
    ],
  ];
  it.each(cases)('%s', (_name, attributes, expected) => {
    expect(readSpanIdentity(attributes)).toEqual(expected);
  });

  it('prefers user.id over langfuse.user.id over enduser.id over metadata bags (Langfuse order)', () => {
    expect(
      readSpanIdentity({
        'ai.telemetry.metadata.userId': 'from-ai-sdk',
        'enduser.id': 'from-enduser',
        'langfuse.user.id': 'from-langfuse',
        'user.id': 'from-user-id',
      }),
    ).toEqual({ userId: 'from-user-id' });
    expect(
      readSpanIdentity({
        'ai.telemetry.metadata.userId': 'a',
        'langfuse.user.id': 'b',
      }),
    ).toEqual({ userId: 'b' });
  });

  it('keeps prototype-like keys as data, never as prototypes', () => {
    const tags = readSpanIdentity({
      'ai.telemetry.metadata.constructor': 'c',
      'ai.telemetry.metadata.__proto__': 'p',
      'ai.telemetry.metadata.userId': 'u',
    });
    expect(tags).toEqual({ constructor: 'c', userId: 'u' });
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});

describe('normalizeTagKey', () => {
  it.each([
    ['userId', 'userId'],
    ['user_id', 'userId'],
    ['user.id', 'userId'],
    ['USER-ID', 'userId'],
    ['langfuse_user_id', 'userId'],
    ['session_id', 'sessionId'],
    ['tenant', 'tenantId'],
    ['tenant.id', 'tenantId'],
    ['plan', 'plan'],
    ['region', 'region'],
    ['orgId', 'orgId'],
  ])('%s -> %s', (key, tag) => {
    expect(normalizeTagKey(key)).toBe(tag);
  });
});

describe('TraceIdentityIndex (gateway / exporter inheritance)', () => {
  function span(
    spanId: string,
    parentSpanId: string | undefined,
    attributes: Record<string, string>,
    traceId = 't1',
  ): SpanLike {
    return {
      name: spanId,
      scopeName: 'x',
      traceId,
      spanId,
      parentSpanId,
      startTimeMillis: 0,
      attributes,
    };
  }

  it('inherits through spans without identity, nearest ancestor winning per key', () => {
    const index = new TraceIdentityIndex();
    const root = span('root', undefined, {
      'user.id': 'u-root',
      'tenant.id': 'acme',
    });
    const agent = span('agent', 'root', {
      'ai.settings.context.userId': 'u-agent',
    });
    const step = span('step', 'agent', {});
    const chat = span('chat', 'step', { 'gen_ai.operation.name': 'chat' });
    // Exporters send children first.
    for (const s of [chat, step, agent, root]) index.observe(s, 1000);
    expect(index.ancestorTags(chat)).toEqual({
      userId: 'u-agent',
      tenantId: 'acme',
    });
    expect(index.ancestorTags(root)).toBeUndefined();
  });

  it('keeps a span for at least the window, then forgets it', () => {
    const index = new TraceIdentityIndex({ windowMillis: 1000 });
    index.observe(span('p', undefined, { 'user.id': 'u' }), 0);
    index.observe(span('x', undefined, {}), 999);
    expect(index.ancestorTags(span('c', 'p', {}))).toEqual({ userId: 'u' });
    index.observe(span('y', undefined, {}), 1500); // rotation: p is in the previous generation
    expect(index.ancestorTags(span('c', 'p', {}))).toEqual({ userId: 'u' });
    index.observe(span('z', undefined, {}), 2600); // second rotation: p is gone
    expect(index.ancestorTags(span('c', 'p', {}))).toBeUndefined();
  });

  it('never crosses traces and forgets spans outside the window', () => {
    const index = new TraceIdentityIndex({ windowMillis: 1000 });
    index.observe(span('p', undefined, { 'user.id': 'u' }, 'other-trace'), 0);
    expect(index.ancestorTags(span('c', 'p', {}))).toBeUndefined();
    index.observe(span('p2', undefined, { 'user.id': 'u2' }), 0);
    expect(index.ancestorTags(span('c2', 'p2', {}))).toEqual({ userId: 'u2' });
    index.observe(span('late', undefined, {}), 5000);
    expect(index.ancestorTags(span('c3', 'p2', {}))).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('is bounded by maxSpans', () => {
    const index = new TraceIdentityIndex({ maxSpans: 100 });
    for (let i = 0; i < 1000; i += 1)
      index.observe(span(`s${i}`, undefined, { 'user.id': `u${i}` }), i);
    expect(index.size).toBe(100);
  });

  it('survives a parent cycle', () => {
    const index = new TraceIdentityIndex();
    index.observe(span('a', 'b', { 'user.id': 'ua' }), 0);
    index.observe(span('b', 'a', { 'tenant.id': 'tb' }), 0);
    expect(index.ancestorTags(span('c', 'a', {}))).toEqual({
      userId: 'ua',
      tenantId: 'tb',
    });
  });
});
