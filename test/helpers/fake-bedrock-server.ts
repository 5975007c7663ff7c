/**
 * A fake Amazon Bedrock Runtime HTTP API for integration tests: `node:http`
 * on 127.0.0.1, ephemeral port, no network. Point `BedrockRuntimeClient` at
 * it with `endpoint: server.endpoint` and static credentials.
 *
 * - `POST /model/{modelId}/converse` (Converse API): checks the documented
 *   request shape (`messages` of `{ role: 'user' | 'assistant', content:
 *   ContentBlock[] }`, optional `system`/`inferenceConfig`) and answers the
 *   documented response: `output.message`, `stopReason`, `metrics.latencyMs`
 *   and `usage` (`inputTokens`, `outputTokens`, `totalTokens`,
 *   `cacheReadInputTokens`, `cacheWriteInputTokens`). API reference:
 *   https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 *   and API_runtime_TokenUsage.html. As in the prompt-caching guide's
 *   examples, `inputTokens` excludes the cache reads and writes and
 *   `totalTokens` counts all four.
 * - `POST /model/{modelId}/invoke` (InvokeModel): the model's native body.
 *   Anthropic (`anthropic_version: 'bedrock-2023-05-31'`, `max_tokens`,
 *   `messages`) answers the Messages shape with `usage.input_tokens`
 *   (uncached), `cache_creation_input_tokens`, `cache_read_input_tokens`,
 *   `output_tokens` and a unique `msg_bdrk_…` id; Amazon Nova
 *   (`schemaVersion: 'messages-v1'`) answers `output.message`, `stopReason`,
 *   `usage.inputTokens`/`outputTokens`/`totalTokens`/
 *   `cacheReadInputTokenCount`/`cacheWriteInputTokenCount`; Amazon Titan Text
 *   (`inputText`) answers `inputTextTokenCount` and `results[].tokenCount`.
 *   Like the real service it also sets the `X-Amzn-Bedrock-Input-Token-Count`
 *   and `-Output-Token-Count` headers.
 *
 * - `POST /model/{modelId}/converse-stream` (ConverseStream): the same
 *   checks, answered as an `application/vnd.amazon.eventstream` of
 *   `messageStart`, `contentBlockDelta`…, `contentBlockStop`, `messageStop`
 *   and `metadata` (the same `usage` as Converse).
 *
 * It speaks HTTP/2 in cleartext (prior knowledge), as the SDK's default
 * `NodeHttp2Handler` for this client does against an `http://` endpoint.
 * Every response carries a unique `x-amzn-RequestId` (the only id Converse
 * has). A malformed request gets a 400 `ValidationException`.
 */
import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createServer } from 'node:http2';
import type {
  Http2Server,
  Http2ServerRequest,
  Http2ServerResponse,
  Http2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';

/** Usage in Bedrock's own semantics: `inputTokens` excludes cache reads and writes. */
export interface FakeBedrockUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
}

export interface FakeBedrockRequest {
  readonly operation: 'converse' | 'converse-stream' | 'invoke';
  readonly modelId: string;
  readonly body: Record<string, unknown>;
  readonly requestId: string;
}

export interface FakeBedrockServer {
  /** `http://127.0.0.1:<port>`, the client's `endpoint`. */
  readonly endpoint: string;
  readonly requests: readonly FakeBedrockRequest[];
  /** Usage for subsequent answers. */
  configure(usage: FakeBedrockUsage): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_BEDROCK_USAGE: FakeBedrockUsage = {
  inputTokens: 1000,
  outputTokens: 300,
};

const TEXT = 'The weather in Paris is sunny.';

export async function startFakeBedrockServer(
  initial: FakeBedrockUsage = DEFAULT_FAKE_BEDROCK_USAGE,
): Promise<FakeBedrockServer> {
  let usage = initial;
  const requests: FakeBedrockRequest[] = [];
  const sessions = new Set<Http2Session>();
  const server: Http2Server = createServer((req, res) => {
    const requestId = randomUUID();
    readJson(req)
      .then(body => {
        const match =
          /^\/model\/([^/]+)\/(converse-stream|converse|invoke)$/.exec(
            (req.url ?? '').split('?')[0] ?? '',
          );
        if (req.method !== 'POST' || match === null) {
          throw new ValidationError(`no route ${req.method} ${req.url}`);
        }
        const modelId = decodeURIComponent(match[1] ?? '');
        const operation = match[2] as FakeBedrockRequest['operation'];
        requests.push({ operation, modelId, body, requestId });
        if (operation === 'converse-stream') {
          sendEventStream(res, converseStreamEvents(body, usage), requestId);
          return;
        }
        const answer =
          operation === 'converse'
            ? converse(body, usage)
            : invoke(modelId, body, usage, requestId);
        sendJson(
          res,
          200,
          answer,
          requestId,
          operation === 'invoke' ? usage : undefined,
        );
      })
      .catch((error: unknown) => {
        res.setHeader('x-amzn-errortype', 'ValidationException');
        sendJson(res, 400, { message: String(error) }, requestId);
      });
  });
  server.on('session', session => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    configure(next) {
      usage = next;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        for (const session of sessions) session.destroy();
        server.close(error => (error ? reject(error) : resolve()));
      });
    },
  };
}

class ValidationError extends Error {}

function converse(
  body: Record<string, unknown>,
  usage: FakeBedrockUsage,
): {
  output: unknown;
  stopReason: string;
  usage: Record<string, number>;
  metrics: { latencyMs: number };
} {
  checkMessages(
    body['messages'],
    block =>
      typeof block === 'object' &&
      block !== null &&
      Object.keys(block).length === 1,
  );
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  return {
    output: {
      message: { role: 'assistant', content: [{ text: TEXT }] },
    },
    stopReason: 'end_turn',
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      totalTokens:
        usage.inputTokens + usage.outputTokens + cacheRead + cacheWrite,
      cacheReadInputTokens: cacheRead,
      cacheWriteInputTokens: cacheWrite,
    },
    metrics: { latencyMs: 42 },
  };
}

/**
 * ConverseStream events in order: `messageStart`, `contentBlockDelta` (one
 * per word), `contentBlockStop`, `messageStop`, then `metadata` with the
 * same `usage` object as Converse.
 */
function converseStreamEvents(
  body: Record<string, unknown>,
  usage: FakeBedrockUsage,
): [string, Record<string, unknown>][] {
  const { usage: total, metrics } = converse(body, usage);
  return [
    ['messageStart', { role: 'assistant' }],
    ...TEXT.split(/(?<= )/).map((text): [string, Record<string, unknown>] => [
      'contentBlockDelta',
      { contentBlockIndex: 0, delta: { text } },
    ]),
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: 'end_turn' }],
    ['metadata', { usage: total, metrics }],
  ];
}

/**
 * An `application/vnd.amazon.eventstream` body: each event is a binary
 * message (total length, headers length, prelude CRC32, string headers
 * `:event-type`, `:content-type`, `:message-type`, the JSON payload, message
 * CRC32), as the AWS event stream encoding specifies.
 */
function sendEventStream(
  res: Http2ServerResponse,
  events: readonly [string, Record<string, unknown>][],
  requestId: string,
): void {
  res.setHeader('content-type', 'application/vnd.amazon.eventstream');
  res.setHeader('x-amzn-requestid', requestId);
  res.writeHead(200);
  for (const [type, payload] of events) {
    res.write(eventMessage(type, payload));
  }
  res.end();
}

function eventMessage(type: string, payload: Record<string, unknown>): Buffer {
  const headers = Buffer.concat(
    [
      [':event-type', type],
      [':content-type', 'application/json'],
      [':message-type', 'event'],
    ].map(([name, value]) => {
      const nameBytes = Buffer.from(name as string, 'utf8');
      const valueBytes = Buffer.from(value as string, 'utf8');
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length); // 7: string
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      return Buffer.concat([header, valueBytes]);
    }),
  );
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headers, body]);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, trailer]);
}

function invoke(
  modelId: string,
  body: Record<string, unknown>,
  usage: FakeBedrockUsage,
  requestId: string,
): Record<string, unknown> {
  const vendor = modelId.replace(/^(us|eu|apac|global)\./, '').split('.')[0];
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  if (vendor === 'anthropic') {
    if (body['anthropic_version'] !== 'bedrock-2023-05-31') {
      throw new ValidationError('anthropic_version must be bedrock-2023-05-31');
    }
    if (typeof body['max_tokens'] !== 'number') {
      throw new ValidationError('max_tokens is required');
    }
    checkMessages(body['messages'], block => typeof block === 'object');
    return {
      id: `msg_bdrk_${requestId.replaceAll('-', '').slice(0, 24)}`,
      type: 'message',
      role: 'assistant',
      model: modelId
        .replace(/^(us|eu|apac|global)\./, '')
        .replace(/^anthropic\./, '')
        .replace(/-v\d+:\d+$/, ''),
      content: [{ type: 'text', text: TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: usage.inputTokens,
        cache_creation_input_tokens: cacheWrite,
        cache_read_input_tokens: cacheRead,
        output_tokens: usage.outputTokens,
      },
    };
  }
  if (vendor === 'amazon' && body['schemaVersion'] === 'messages-v1') {
    checkMessages(body['messages'], block => typeof block === 'object');
    return {
      output: { message: { role: 'assistant', content: [{ text: TEXT }] } },
      stopReason: 'end_turn',
      usage: {
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        totalTokens:
          usage.inputTokens + usage.outputTokens + cacheRead + cacheWrite,
        cacheReadInputTokenCount: cacheRead,
        cacheWriteInputTokenCount: cacheWrite,
      },
    };
  }
  if (vendor === 'amazon' && typeof body['inputText'] === 'string') {
    return {
      inputTextTokenCount: usage.inputTokens,
      results: [
        {
          tokenCount: usage.outputTokens,
          outputText: TEXT,
          completionReason: 'FINISH',
        },
      ],
    };
  }
  throw new ValidationError(`unsupported body for ${modelId}`);
}

function checkMessages(
  messages: unknown,
  isBlock: (block: unknown) => boolean,
): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ValidationError('messages must be a non-empty array');
  }
  for (const message of messages) {
    const { role, content } = (message ?? {}) as Record<string, unknown>;
    if (role !== 'user' && role !== 'assistant') {
      throw new ValidationError(`invalid role ${String(role)}`);
    }
    if (
      typeof content !== 'string' &&
      !(Array.isArray(content) && content.every(isBlock))
    ) {
      throw new ValidationError('content must be an array of content blocks');
    }
  }
}

function sendJson(
  res: Http2ServerResponse,
  status: number,
  payload: unknown,
  requestId: string,
  usage?: FakeBedrockUsage,
): void {
  const text = JSON.stringify(payload);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.setHeader('x-amzn-requestid', requestId);
  if (usage !== undefined) {
    res.setHeader(
      'x-amzn-bedrock-input-token-count',
      String(usage.inputTokens),
    );
    res.setHeader(
      'x-amzn-bedrock-output-token-count',
      String(usage.outputTokens),
    );
  }
  res.writeHead(status);
  res.end(text);
}

async function readJson(
  req: Http2ServerRequest,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    );
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ValidationError('request body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
