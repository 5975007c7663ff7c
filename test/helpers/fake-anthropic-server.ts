/**
 * A fake Anthropic Messages API for integration tests: `node:http` on
 * 127.0.0.1, ephemeral port, no network. It answers `POST /v1/messages`,
 * plain JSON or, with `stream: true`, server-sent events in the order the
 * real API sends them (`message_start`, `content_block_start`,
 * `content_block_delta`..., `content_block_stop`, `message_delta`,
 * `message_stop`).
 *
 * Usage follows Anthropic's documented shape
 * (https://docs.anthropic.com/en/api/messages, "usage";
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching,
 * "Tracking cache performance"): `input_tokens` is the UNCACHED input only,
 * the total input being `input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens`; `cache_creation` splits the cache write by
 * TTL (`ephemeral_5m_input_tokens`, `ephemeral_1h_input_tokens`). When
 * streaming, `message_start` carries the input counts and a provisional
 * `output_tokens: 1`, and `message_delta` carries the final, cumulative
 * `output_tokens` (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
 *
 * Documented request rules are enforced: an API key is required, as
 * `x-api-key` or (what SDK 1.14 sends) `Authorization: Bearer` (401
 * `authentication_error`), `anthropic-version` is required, and so are
 * `model` and `max_tokens` (400 `invalid_request_error`). Every response has
 * a unique `msg_...` id, across servers too.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Usage in Anthropic's own semantics: `inputTokens` EXCLUDES the cache. */
export interface FakeAnthropicUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens?: number;
  /** Cache write with the 5-minute TTL. */
  readonly cacheWrite5mTokens?: number;
  /** Cache write with the 1-hour TTL. */
  readonly cacheWrite1hTokens?: number;
}

export interface FakeAnthropicConfig {
  readonly usage: FakeAnthropicUsage;
  /** The model the response reports; `echo` repeats the request's. */
  readonly responseModel: string | 'echo';
  /** Assistant text; split into several deltas when streaming. */
  readonly content: string;
}

export interface RecordedAnthropicRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
  /** HTTP status the fake answered with. */
  readonly status: number;
  /** The `msg_...` id answered, for successful requests. */
  readonly messageId?: string;
}

export interface FakeAnthropicServer {
  /** `http://127.0.0.1:<port>`, the Anthropic client's `baseURL`. */
  readonly baseURL: string;
  readonly requests: readonly RecordedAnthropicRequest[];
  configure(patch: Partial<FakeAnthropicConfig>): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_ANTHROPIC_CONFIG: FakeAnthropicConfig = {
  usage: {
    inputTokens: 1200,
    outputTokens: 350,
    cacheReadTokens: 4000,
    cacheWrite5mTokens: 2000,
    cacheWrite1hTokens: 0,
  },
  responseModel: 'echo',
  content: 'The weather in Paris is sunny.',
};

export async function startFakeAnthropicServer(
  initial: Partial<FakeAnthropicConfig> = {},
): Promise<FakeAnthropicServer> {
  let config: FakeAnthropicConfig = {
    ...DEFAULT_FAKE_ANTHROPIC_CONFIG,
    ...initial,
  };
  const requests: RecordedAnthropicRequest[] = [];
  const prefix = randomBytes(6).toString('hex');
  let sequence = 0;

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    readJson(req)
      .then(body => {
        const problem = requestProblem(req, path, body);
        if (problem !== undefined) {
          requests.push({
            path,
            headers: req.headers,
            body,
            status: problem.status,
          });
          sendJson(res, problem.status, {
            type: 'error',
            error: { type: problem.type, message: problem.message },
          });
          return;
        }
        sequence += 1;
        const id = `msg_fake${prefix}${sequence.toString().padStart(6, '0')}`;
        requests.push({
          path,
          headers: req.headers,
          body,
          status: 200,
          messageId: id,
        });
        answer(res, body, config, id);
      })
      .catch((error: unknown) => {
        requests.push({ path, headers: req.headers, body: {}, status: 400 });
        sendJson(res, 400, {
          type: 'error',
          error: { type: 'invalid_request_error', message: String(error) },
        });
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    configure(patch) {
      config = { ...config, ...patch };
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      });
    },
  };
}

interface Problem {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** The documented request rules (https://docs.anthropic.com/en/api/errors, /en/api/versioning). */
function requestProblem(
  req: IncomingMessage,
  path: string,
  body: Record<string, unknown>,
): Problem | undefined {
  if (req.method !== 'POST' || path !== '/v1/messages') {
    return {
      status: 404,
      type: 'not_found_error',
      message: `no route ${req.method} ${path}`,
    };
  }
  // The key as `x-api-key`, or as a bearer token: `@anthropic-ai/sdk` 1.14
  // sends its `apiKey` as `Authorization: Bearer <key>` (client.ts,
  // `apiKeyAuth`).
  const apiKey = req.headers['x-api-key'];
  const bearer = /^Bearer \S+$/.test(req.headers.authorization ?? '');
  if ((typeof apiKey !== 'string' || apiKey === '') && !bearer) {
    return {
      status: 401,
      type: 'authentication_error',
      message: 'x-api-key header is required',
    };
  }
  const version = req.headers['anthropic-version'];
  if (typeof version !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(version)) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    };
  }
  if (typeof body['model'] !== 'string' || body['model'] === '') {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'model: Field required',
    };
  }
  const maxTokens = body['max_tokens'];
  if (
    typeof maxTokens !== 'number' ||
    !Number.isInteger(maxTokens) ||
    maxTokens < 1
  ) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'max_tokens: Field required',
    };
  }
  if (!Array.isArray(body['messages'])) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: Field required',
    };
  }
  return undefined;
}

/** Anthropic's `usage` object: `input_tokens` without the cache. */
export function anthropicUsageJson(
  usage: FakeAnthropicUsage,
  outputTokens = usage.outputTokens,
): Record<string, unknown> {
  const write5m = usage.cacheWrite5mTokens ?? 0;
  const write1h = usage.cacheWrite1hTokens ?? 0;
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: write5m + write1h,
    cache_read_input_tokens: usage.cacheReadTokens ?? 0,
    cache_creation: {
      ephemeral_5m_input_tokens: write5m,
      ephemeral_1h_input_tokens: write1h,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function answer(
  res: ServerResponse,
  body: Record<string, unknown>,
  config: FakeAnthropicConfig,
  id: string,
): void {
  const model =
    config.responseModel === 'echo'
      ? (body['model'] as string)
      : config.responseModel;
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    stop_sequence: null,
  };
  if (body['stream'] !== true) {
    sendJson(res, 200, {
      ...message,
      content: [{ type: 'text', text: config.content }],
      stop_reason: 'end_turn',
      usage: anthropicUsageJson(config.usage, config.usage.outputTokens),
    });
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = (event: string, data: Record<string, unknown>): void => {
    res.write(
      `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`,
    );
  };
  send('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: anthropicUsageJson(config.usage, 1),
    },
  });
  send('content_block_start', {
    index: 0,
    content_block: { type: 'text', text: '' },
  });
  send('ping', {});
  for (const word of config.content.split(/(?<= )/)) {
    send('content_block_delta', {
      index: 0,
      delta: { type: 'text_delta', text: word },
    });
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: config.usage.outputTokens },
  });
  send('message_stop', {});
  res.end();
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': `req_fake${randomBytes(6).toString('hex')}`,
  });
  res.end(text);
}

async function readJson(
  req: IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    );
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('request body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
