/**
 * What the framework attribution tests share: global tracing with the
 * `AsyncLocalStorageContextManager` (what NodeSDK registers), a route body
 * that waits, makes one priced LLM call and waits again, concurrent requests
 * from different users, and the checks that every LLM span carries its own
 * request's user and price.
 */
import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import { getAttribution } from '../../src/index.js';
import { chatSpan } from '../helpers/chat-span.js';
import { COST, expectUsd } from '../helpers/cost-assertions.js';
import { GPT_4O_MINI, expectedCost } from '../helpers/prices.js';

export const USER_HEADER = 'x-user-id';
export const REQUEST_HEADER = 'x-request-id';

/** gpt-4o-mini, 1,000 input and 100 output tokens (the chatSpan default). */
export const PER_CALL_USD = expectedCost(GPT_4O_MINI, {
  uncachedInput: 1000,
  output: 100,
}).total;

export function pause(ms: number): Promise<void> {
  if (ms <= 0) return new Promise(resolve => setImmediate(resolve));
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The work of one route: a random small delay, one LLM call (a GenAI chat
 * span the processor prices) tagged with the request id, another delay.
 * Returns the attribution the handler saw.
 */
export async function routeWork(
  tracer: Tracer,
  requestId: string | undefined,
  delaysMs: readonly [number, number] = [
    Math.floor(Math.random() * 5),
    Math.floor(Math.random() * 3),
  ],
): Promise<{ tags: Record<string, string> | null }> {
  await pause(delaysMs[0]);
  chatSpan(tracer, {
    attributes: { 'test.request_id': requestId ?? 'none' },
  });
  await pause(delaysMs[1]);
  return { tags: (getAttribution() as Record<string, string>) ?? null };
}

export interface SentRequest {
  readonly requestId: string;
  readonly userId: string | undefined;
  readonly delaysMs?: readonly [number, number];
}

export function requestsFrom(count: number, prefix = 'r'): SentRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    requestId: `${prefix}${i}`,
    userId: `user-${i}`,
  }));
}

/** Sends all `requests` at once; returns the statuses and JSON bodies. */
export async function sendConcurrently(
  url: string,
  requests: readonly SentRequest[],
  init: { method?: 'GET' | 'POST' } = {},
): Promise<{ status: number; body: unknown }[]> {
  return Promise.all(
    requests.map(async request => {
      const headers: Record<string, string> = {
        [REQUEST_HEADER]: request.requestId,
      };
      if (request.userId !== undefined) headers[USER_HEADER] = request.userId;
      if (request.delaysMs !== undefined)
        headers['x-delays'] = request.delaysMs.join(',');
      const method = init.method ?? 'GET';
      if (method === 'POST') headers['content-type'] = 'application/json';
      const response = await fetch(url, {
        method,
        headers,
        ...(method === 'POST'
          ? { body: JSON.stringify({ text: 'x'.repeat(2000) }) }
          : {}),
      });
      return { status: response.status, body: await response.json() };
    }),
  );
}

/** The delays a request asked for in `x-delays`, if any. */
export function delaysOf(
  header: string | string[] | null | undefined,
): [number, number] | undefined {
  if (typeof header !== 'string') return undefined;
  const [a, b] = header.split(',').map(Number);
  return [a ?? 0, b ?? 0];
}

/**
 * Every request got its own LLM span, priced at the published price and
 * carrying exactly that request's user (no user when it sent none).
 */
export function expectEachCallAttributed(
  spans: readonly ReadableSpan[],
  requests: readonly SentRequest[],
): void {
  const calls = spans.filter(
    s => s.attributes['test.request_id'] !== undefined,
  );
  expect(calls).toHaveLength(requests.length);
  const byRequest = new Map(requests.map(r => [r.requestId, r]));
  const wrong: string[] = [];
  for (const span of calls) {
    const id = span.attributes['test.request_id'] as string;
    const want = byRequest.get(id);
    byRequest.delete(id);
    const source = want?.userId === undefined ? 'none' : 'context';
    if (
      want === undefined ||
      span.attributes['user.id'] !== want.userId ||
      span.attributes['gen_ai.cost.attribution.source'] !== source
    ) {
      wrong.push(`${id}: user.id=${String(span.attributes['user.id'])}`);
    }
    expectUsd(span.attributes[COST], PER_CALL_USD, `cost of ${id}`);
  }
  expect(wrong).toEqual([]);
  expect(byRequest.size).toBe(0);
}

/** The bodies echo each request's own tags (the handler saw them too). */
export function expectBodiesOwnTags(
  responses: readonly { status: number; body: unknown }[],
  requests: readonly SentRequest[],
  status = 200,
): void {
  expect(responses.map(r => r.status)).toEqual(requests.map(() => status));
  expect(responses.map(r => r.body)).toEqual(
    requests.map(r => ({
      tags: r.userId === undefined ? null : { userId: r.userId },
    })),
  );
}

/** Records `diag` warnings until `stop()`. */
export function captureWarnings(): { warnings: string[]; stop(): void } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  diag.setLogger(
    {
      error: ignore,
      warn: message => warnings.push(message),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { warnings, stop: () => diag.disable() };
}

export const RESOLVER_WARNING =
  'otel-genai-cost: the attribution tag resolver threw; continuing unattributed';
