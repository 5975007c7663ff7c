/**
 * A fake OpenAI HTTP API for integration tests: `node:http` on 127.0.0.1,
 * ephemeral port, no network. It answers the two endpoints the OpenAI
 * instrumentations wrap:
 *
 * - `POST /v1/chat/completions`, plain JSON or, with `stream: true`, SSE
 *   chunks in the shape the real API sends. With
 *   `stream_options.include_usage: true` every chunk carries `usage: null`
 *   and one last chunk with `choices: []` carries the usage (as the real API
 *   does); without it the stream has no usage at all.
 * - `POST /v1/embeddings`, honouring `encoding_format` (`openai@6` asks for
 *   `base64` by default and decodes it client side).
 *
 * The usage numbers (including `prompt_tokens_details.cached_tokens` and
 * `completion_tokens_details.reasoning_tokens`) and the model the response
 * reports are configurable per server and can be changed between calls.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Chat usage in OpenAI's own semantics: `promptTokens` includes the cached ones, `completionTokens` the reasoning ones. */
export interface FakeChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens?: number;
  readonly reasoningTokens?: number;
}

export interface FakeOpenAIConfig {
  /** Usage reported for chat completions. */
  readonly chatUsage: FakeChatUsage;
  /** Token count reported for an embeddings request. */
  readonly embeddingPromptTokens: number;
  /**
   * The model the response reports. By default the request's model is echoed,
   * or `echo-dated` appends an OpenAI-style snapshot date to it.
   */
  readonly responseModel: string | 'echo' | 'echo-dated';
  /** Assistant text; split into several deltas when streaming. */
  readonly content: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, to pass as the OpenAI client's `baseURL`. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Changes the answers for subsequent requests. */
  configure(patch: Partial<FakeOpenAIConfig>): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_OPENAI_CONFIG: FakeOpenAIConfig = {
  chatUsage: { promptTokens: 1000, completionTokens: 300 },
  embeddingPromptTokens: 16,
  responseModel: 'echo',
  content: 'The weather in Paris is sunny.',
};

const SNAPSHOT_DATE = '2024-07-18';

export async function startFakeOpenAIServer(
  initial: Partial<FakeOpenAIConfig> = {},
): Promise<FakeOpenAIServer> {
  let config: FakeOpenAIConfig = { ...DEFAULT_FAKE_OPENAI_CONFIG, ...initial };
  const requests: RecordedRequest[] = [];
  let sequence = 0;

  const server: Server = createServer((req, res) => {
    readJson(req)
      .then(body => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        requests.push({ method: req.method ?? '', path, body });
        sequence += 1;
        if (req.method === 'POST' && path === '/v1/chat/completions') {
          handleChat(res, body, config, sequence);
        } else if (req.method === 'POST' && path === '/v1/embeddings') {
          handleEmbeddings(res, body, config);
        } else {
          sendJson(res, 404, {
            error: {
              message: `no route ${req.method} ${path}`,
              type: 'invalid_request_error',
            },
          });
        }
      })
      .catch((error: unknown) => {
        sendJson(res, 400, {
          error: { message: String(error), type: 'invalid_request_error' },
        });
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
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

function handleChat(
  res: ServerResponse,
  body: Record<string, unknown>,
  config: FakeOpenAIConfig,
  sequence: number,
): void {
  const requestModel =
    typeof body['model'] === 'string' ? body['model'] : 'unknown';
  const model = responseModelFor(requestModel, config.responseModel);
  const id = `chatcmpl-fake${sequence}`;
  const created = 1_700_000_000 + sequence;
  const usage = chatUsageJson(config.chatUsage);

  if (body['stream'] !== true) {
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: config.content,
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage,
    });
    return;
  }

  const streamOptions = body['stream_options'];
  const includeUsage =
    typeof streamOptions === 'object' &&
    streamOptions !== null &&
    (streamOptions as Record<string, unknown>)['include_usage'] === true;
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_fake',
  };
  const withUsageNull = includeUsage ? { usage: null } : {};
  const words = config.content.split(/(?<= )/);

  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = (payload: unknown): void => {
    res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };
  send({
    ...base,
    choices: [
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ],
    ...withUsageNull,
  });
  for (const word of words) {
    send({
      ...base,
      choices: [
        {
          index: 0,
          delta: { content: word },
          logprobs: null,
          finish_reason: null,
        },
      ],
      ...withUsageNull,
    });
  }
  send({
    ...base,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
    ...withUsageNull,
  });
  if (includeUsage) {
    send({ ...base, choices: [], usage });
  }
  res.end('data: [DONE]\n\n');
}

function handleEmbeddings(
  res: ServerResponse,
  body: Record<string, unknown>,
  config: FakeOpenAIConfig,
): void {
  const requestModel =
    typeof body['model'] === 'string' ? body['model'] : 'unknown';
  const model = responseModelFor(
    requestModel,
    config.responseModel === 'echo-dated' ? 'echo' : config.responseModel,
  );
  const input = body['input'];
  const count = Array.isArray(input) ? input.length : 1;
  const base64 = body['encoding_format'] === 'base64';
  const vector = [0.25, -0.5, 0.125];
  sendJson(res, 200, {
    object: 'list',
    data: Array.from({ length: count }, (_, index) => ({
      object: 'embedding',
      index,
      embedding: base64
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector,
    })),
    model,
    usage: {
      prompt_tokens: config.embeddingPromptTokens,
      total_tokens: config.embeddingPromptTokens,
    },
  });
}

function chatUsageJson(usage: FakeChatUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedTokens ?? 0,
      audio_tokens: 0,
    },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function responseModelFor(
  requestModel: string,
  setting: FakeOpenAIConfig['responseModel'],
): string {
  if (setting === 'echo') return requestModel;
  if (setting === 'echo-dated') return `${requestModel}-${SNAPSHOT_DATE}`;
  return setting;
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
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
