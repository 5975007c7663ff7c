/**
 * An in-process stand-in for the OpenAI API (`POST /v1/chat/completions`,
 * no streaming) on 127.0.0.1, so the demo needs no API key and no network.
 * Usage is derived from the request: prompt tokens from the message length,
 * completion tokens from `max_completion_tokens`, and half the prompt counted
 * as cached when the request sets `prompt_cache_key`.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAI {
  /** `http://127.0.0.1:<port>/v1` for the OpenAI client's `baseURL`. */
  readonly baseURL: string;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let sequence = 0;
  const server = createServer((req, res) => {
    readBody(req).then(
      body => {
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
          return send(res, 404, { error: { message: 'not found' } });
        }
        sequence += 1;
        send(res, 200, completion(body, sequence));
      },
      (error: unknown) => send(res, 400, { error: { message: String(error) } }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function completion(body: Record<string, unknown>, sequence: number) {
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  const chars = JSON.stringify(messages).length;
  const prompt = 40 + Math.ceil(chars / 4);
  const maxTokens = body['max_completion_tokens'];
  const output = typeof maxTokens === 'number' ? maxTokens : 64;
  const cached = body['prompt_cache_key'] === undefined ? 0 : prompt >> 1;
  return {
    id: `chatcmpl-demo-${sequence}`,
    object: 'chat.completion',
    created: 1_700_000_000 + sequence,
    model: String(body['model']),
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Done.', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: output,
      total_tokens: prompt + output,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  };
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(
  req: IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error('body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
