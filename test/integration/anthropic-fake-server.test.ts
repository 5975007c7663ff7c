/**
 * The fake Anthropic server keeps Anthropic's documented rules and usage
 * shape, so the emitter tests run against what the real API would answer:
 * an API key and `anthropic-version` are required, `model` and `max_tokens`
 * too; `input_tokens` excludes the cache; a stream carries the input counts
 * in `message_start` and the final `output_tokens` in `message_delta`; every
 * message id is unique.
 */
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import type { FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';

let server: FakeAnthropicServer;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
});

afterAll(async () => {
  await server.close();
});

async function post(
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
  };
}

const HEADERS = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
const BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('fake Anthropic server', () => {
  it('rejects requests that break the documented rules', async () => {
    const { 'x-api-key': _key, ...noKey } = HEADERS;
    const { 'anthropic-version': _version, ...noVersion } = HEADERS;
    const { model: _model, ...noModel } = BODY;
    const { max_tokens: _max, ...noMax } = BODY;
    const cases: [Record<string, string>, unknown, number, string][] = [
      [noKey, BODY, 401, 'authentication_error'],
      [noVersion, BODY, 400, 'invalid_request_error'],
      [HEADERS, noModel, 400, 'invalid_request_error'],
      [HEADERS, noMax, 400, 'invalid_request_error'],
      [HEADERS, { ...BODY, max_tokens: 0 }, 400, 'invalid_request_error'],
    ];
    for (const [headers, body, status, type] of cases) {
      const answer = await post(headers, body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.json['type']).toBe('error');
      expect((answer.json['error'] as { type: string }).type).toBe(type);
    }
    // A bearer token is an API key too (what SDK 1.14 sends).
    const { 'x-api-key': _k, ...version } = HEADERS;
    expect(
      (await post({ ...version, authorization: 'Bearer k' }, BODY)).status,
    ).toBe(200);
  });

  it('usage in Anthropic semantics, JSON and streamed alike, with unique ids', async () => {
    const client = new Anthropic({
      apiKey: 'k',
      baseURL: server.baseURL,
      maxRetries: 0,
      openTelemetry: false,
    });
    const usage = fc.record({
      inputTokens: fc.integer({ min: 0, max: 100_000 }),
      outputTokens: fc.integer({ min: 1, max: 100_000 }),
      cacheReadTokens: fc.integer({ min: 0, max: 100_000 }),
      cacheWrite5mTokens: fc.integer({ min: 0, max: 100_000 }),
      cacheWrite1hTokens: fc.integer({ min: 0, max: 100_000 }),
    });
    const ids = new Set<string>();
    await fc.assert(
      fc.asyncProperty(usage, async u => {
        server.configure({ usage: u });
        const message = await client.messages.create(BODY);
        const streamed = await client.messages.stream(BODY).finalMessage();
        for (const answer of [message, streamed]) {
          expect(answer.usage.input_tokens).toBe(u.inputTokens);
          expect(answer.usage.output_tokens).toBe(u.outputTokens);
          expect(answer.usage.cache_read_input_tokens).toBe(u.cacheReadTokens);
          expect(answer.usage.cache_creation_input_tokens).toBe(
            u.cacheWrite5mTokens + u.cacheWrite1hTokens,
          );
          expect(answer.usage.cache_creation).toEqual({
            ephemeral_5m_input_tokens: u.cacheWrite5mTokens,
            ephemeral_1h_input_tokens: u.cacheWrite1hTokens,
          });
          expect(answer.id).toMatch(/^msg_/);
          expect(ids.has(answer.id)).toBe(false);
          ids.add(answer.id);
        }
      }),
      { numRuns: 25 },
    );
  });
});
