/**
 * The fake Gemini server keeps the documented request rules and usage shape
 * (see test/helpers/fake-gemini-server.ts), so a client or instrumentation
 * that breaks them fails here rather than passing against a lenient fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGeminiServer } from '../helpers/fake-gemini-server.js';
import type { FakeGeminiServer } from '../helpers/fake-gemini-server.js';

let server: FakeGeminiServer;

interface StreamChunk {
  readonly responseId: string;
  readonly usageMetadata: Record<string, number> & {
    readonly candidatesTokenCount: number;
  };
  readonly candidates: readonly { readonly finishReason?: string }[];
}

beforeAll(async () => {
  server = await startFakeGeminiServer();
});

afterAll(async () => {
  await server.close();
});

const BODY = JSON.stringify({
  contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
});

function post(path: string, init: { key?: string; body?: string } = {}) {
  return fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.key === undefined ? {} : { 'x-goog-api-key': init.key }),
    },
    body: init.body ?? BODY,
  });
}

describe('fake Gemini server', () => {
  it('refuses a call without an API key (403 PERMISSION_DENIED), accepts the key header or ?key=', async () => {
    const path = '/v1beta/models/gemini-2.5-flash:generateContent';
    const refused = await post(path);
    expect(refused.status).toBe(403);
    expect(
      ((await refused.json()) as { error: { status: string } }).error.status,
    ).toBe('PERMISSION_DENIED');
    expect((await post(path, { key: 'k' })).status).toBe(200);
    expect((await post(`${path}?key=k`)).status).toBe(200);
  });

  it('refuses a call without contents (400 INVALID_ARGUMENT) and unknown routes (404)', async () => {
    const missing = await post(
      '/v1beta/models/gemini-2.5-flash:generateContent',
      {
        key: 'k',
        body: '{}',
      },
    );
    expect(missing.status).toBe(400);
    const empty = await post(
      '/v1beta/models/gemini-2.5-flash:generateContent',
      {
        key: 'k',
        body: '{"contents":[]}',
      },
    );
    expect(empty.status).toBe(400);
    expect((await post('/v1/chat/completions', { key: 'k' })).status).toBe(404);
  });

  it('usageMetadata: prompt includes the cache, total = prompt + candidates + thoughts; ids unique', async () => {
    server.enqueueUsages([
      {
        promptTokenCount: 3000,
        cachedContentTokenCount: 2048,
        candidatesTokenCount: 400,
        thoughtsTokenCount: 900,
      },
    ]);
    const path = '/v1beta/models/gemini-2.5-flash:generateContent';
    const first = (await (await post(path, { key: 'k' })).json()) as Record<
      string,
      unknown
    >;
    const second = (await (await post(path, { key: 'k' })).json()) as Record<
      string,
      unknown
    >;
    expect(first['usageMetadata']).toMatchObject({
      promptTokenCount: 3000,
      cachedContentTokenCount: 2048,
      candidatesTokenCount: 400,
      thoughtsTokenCount: 900,
      totalTokenCount: 4300,
    });
    expect(first['modelVersion']).toBe('gemini-2.5-flash');
    expect(typeof first['responseId']).toBe('string');
    expect(first['responseId']).not.toBe(second['responseId']);
  });

  it('streams SSE with running usage (the last chunk carries the call), one responseId per stream; a JSON array without alt=sse', async () => {
    const usage = {
      promptTokenCount: 500,
      candidatesTokenCount: 90,
      thoughtsTokenCount: 40,
    };
    server.enqueueUsages([usage, usage]);
    const path = '/v1beta/models/gemini-2.5-flash:streamGenerateContent';
    const sse = await (await post(`${path}?alt=sse`, { key: 'k' })).text();
    const chunks = sse
      .split('\r\n\r\n')
      .filter(line => line.startsWith('data: '))
      .map(line => JSON.parse(line.slice(6)) as StreamChunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(new Set(chunks.map(c => c.responseId)).size).toBe(1);
    const counts = chunks.map(c => c.usageMetadata.candidatesTokenCount);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(chunks.at(-1)?.usageMetadata).toMatchObject({
      promptTokenCount: 500,
      candidatesTokenCount: 90,
      thoughtsTokenCount: 40,
      totalTokenCount: 630,
    });
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe('STOP');
    const array = (await (await post(path, { key: 'k' })).json()) as unknown[];
    expect(Array.isArray(array)).toBe(true);
    expect(array).toHaveLength(chunks.length);
  });
});
