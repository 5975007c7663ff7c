/**
 * A fake Gemini Developer API for integration tests: `node:http` on
 * 127.0.0.1, ephemeral port, no network. It answers
 * `POST /v1beta/models/{model}:generateContent` (JSON) and
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` (server-sent
 * events, one `data:` line per chunk; without `alt=sse`, a JSON array of the
 * chunks, as the real API does). Point `@google/genai` at it with
 * `new GoogleGenAI({ apiKey, httpOptions: { baseUrl } })`.
 *
 * Usage follows the documented `usageMetadata` (Gemini API reference,
 * https://ai.google.dev/api/generate-content#UsageMetadata):
 * - `promptTokenCount`: the whole prompt; "when cachedContent is set, this
 *   is still the total effective prompt size", i.e. it INCLUDES
 *   `cachedContentTokenCount`;
 * - `candidatesTokenCount`: the response candidates, thinking EXCLUDED;
 * - `thoughtsTokenCount`: the thinking tokens of thinking models (billed as
 *   output: the pricing page's output price is "including thinking tokens");
 * - `totalTokenCount`: prompt + candidates + thoughts.
 * When streaming, every chunk repeats `usageMetadata` with running totals
 * (`candidatesTokenCount` grows, the prompt, cache and thoughts counts are
 * there from the first chunk), and the last chunk carries the call's counts
 * and `finishReason` (as the API answers; see a recorded stream in
 * simonw/llm-gemini#97). Every response has its own `responseId` (the same on
 * all chunks of one stream) and `modelVersion` (the request's model unless
 * configured).
 *
 * Documented request rules are enforced: an API key is required, as the
 * `x-goog-api-key` header or the `key` query parameter (403
 * `PERMISSION_DENIED` without one), and `contents` must be a non-empty
 * array (400 `INVALID_ARGUMENT`), with Google's error shape
 * `{ error: { code, message, status } }`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call's usage in Gemini's own semantics. */
export interface FakeGeminiUsage {
  /** The whole prompt, cached part INCLUDED. */
  readonly promptTokenCount: number;
  /** Part of the prompt served from the context cache. */
  readonly cachedContentTokenCount?: number;
  /** Response tokens, thinking EXCLUDED. */
  readonly candidatesTokenCount: number;
  /** Thinking tokens (billed as output). */
  readonly thoughtsTokenCount?: number;
}

export interface FakeGeminiConfig {
  readonly usage: FakeGeminiUsage;
  /** `modelVersion` answered; `echo` repeats the model of the path. */
  readonly modelVersion: string | 'echo';
  /** Answer text; split into several chunks when streaming. */
  readonly content: string;
}

export interface RecordedGeminiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
  readonly status: number;
  /** The `responseId` answered, for successful requests. */
  readonly responseId?: string;
  /** The usage answered, for successful requests. */
  readonly usage?: FakeGeminiUsage;
  readonly model?: string;
}

export interface FakeGeminiServer {
  /** `http://127.0.0.1:<port>`, the client's `httpOptions.baseUrl`. */
  readonly baseUrl: string;
  readonly requests: readonly RecordedGeminiRequest[];
  configure(patch: Partial<FakeGeminiConfig>): void;
  /** Usages answered to the next requests, in arrival order (then `usage`). */
  enqueueUsages(usages: readonly FakeGeminiUsage[]): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_GEMINI_CONFIG: FakeGeminiConfig = {
  usage: {
    promptTokenCount: 3000,
    cachedContentTokenCount: 2048,
    candidatesTokenCount: 400,
    thoughtsTokenCount: 900,
  },
  modelVersion: 'echo',
  content: 'The weather in Paris is sunny and mild today.',
};

const ROUTE =
  /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function startFakeGeminiServer(
  initial: Partial<FakeGeminiConfig> = {},
): Promise<FakeGeminiServer> {
  let config: FakeGeminiConfig = { ...DEFAULT_FAKE_GEMINI_CONFIG, ...initial };
  const queue: FakeGeminiUsage[] = [];
  const requests: RecordedGeminiRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const base = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    };
    readJson(req)
      .then(body => {
        const route = ROUTE.exec(url.pathname);
        const problem = requestProblem(req, url, route, body);
        if (problem !== undefined || route === null) {
          const error = problem ?? NOT_FOUND;
          requests.push({ ...base, body, status: error.code });
          sendJson(res, error.code, { error });
          return;
        }
        const model = decodeURIComponent(route[1] as string);
        const usage = queue.shift() ?? config.usage;
        const responseId = newResponseId();
        requests.push({ ...base, body, status: 200, responseId, usage, model });
        const modelVersion =
          config.modelVersion === 'echo' ? model : config.modelVersion;
        const chunks = responseChunks(config.content, usage, {
          responseId,
          modelVersion,
          stream: route[2] === 'streamGenerateContent',
        });
        if (route[2] === 'generateContent') {
          sendJson(res, 200, chunks[0]);
        } else if (url.searchParams.get('alt') === 'sse') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for (const chunk of chunks) {
            res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
          }
          res.end();
        } else {
          sendJson(res, 200, chunks);
        }
      })
      .catch((error: unknown) => {
        requests.push({ ...base, body: {}, status: 400 });
        sendJson(res, 400, {
          error: {
            code: 400,
            message: String(error),
            status: 'INVALID_ARGUMENT',
          },
        });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    configure(patch) {
      config = { ...config, ...patch };
    },
    enqueueUsages(usages) {
      queue.push(...usages);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      });
    },
  };
}

interface GoogleError {
  readonly code: number;
  readonly message: string;
  readonly status: string;
}

const NOT_FOUND: GoogleError = {
  code: 404,
  message: 'Requested entity was not found.',
  status: 'NOT_FOUND',
};

function requestProblem(
  req: IncomingMessage,
  url: URL,
  route: RegExpExecArray | null,
  body: Record<string, unknown>,
): GoogleError | undefined {
  if (req.method !== 'POST' || route === null) return NOT_FOUND;
  const header = req.headers['x-goog-api-key'];
  const key =
    typeof header === 'string' && header !== ''
      ? header
      : url.searchParams.get('key');
  if (key === null || key === '') {
    return {
      code: 403,
      message:
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      status: 'PERMISSION_DENIED',
    };
  }
  const contents = body['contents'];
  if (!Array.isArray(contents) || contents.length === 0) {
    return {
      code: 400,
      message: '* GenerateContentRequest.contents: contents is not specified\n',
      status: 'INVALID_ARGUMENT',
    };
  }
  return undefined;
}

/** `usageMetadata` with `candidates` response tokens so far. */
export function usageMetadataJson(
  usage: FakeGeminiUsage,
  candidates = usage.candidatesTokenCount,
): Record<string, unknown> {
  const cached = usage.cachedContentTokenCount ?? 0;
  const thoughts = usage.thoughtsTokenCount ?? 0;
  return {
    promptTokenCount: usage.promptTokenCount,
    candidatesTokenCount: candidates,
    totalTokenCount: usage.promptTokenCount + candidates + thoughts,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: usage.promptTokenCount },
    ],
    ...(cached > 0
      ? { cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }] }
      : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

/** One response (JSON), or the chunks of a stream with running usage. */
function responseChunks(
  content: string,
  usage: FakeGeminiUsage,
  meta: { responseId: string; modelVersion: string; stream: boolean },
): Record<string, unknown>[] {
  const pieces = meta.stream ? content.split(/(?<= )/) : [content];
  return pieces.map((text, index) => {
    const last = index === pieces.length - 1;
    const soFar = last
      ? usage.candidatesTokenCount
      : Math.floor((usage.candidatesTokenCount * (index + 1)) / pieces.length);
    return {
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          ...(last ? { finishReason: 'STOP' } : {}),
          index: 0,
        },
      ],
      usageMetadata: usageMetadataJson(usage, soFar),
      modelVersion: meta.modelVersion,
      responseId: meta.responseId,
    };
  });
}

/** Looks like the API's ids (22 base64url characters); unique per response. */
function newResponseId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
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
