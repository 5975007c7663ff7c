/** A local price data server (127.0.0.1) whose answer each test sets. */
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForUpdate, type Provider } from '@pydantic/genai-prices';

export type Answer =
  | { readonly kind: 'body'; readonly body: string; readonly etag?: boolean }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'chunks'; readonly chunk: string; readonly count: number };

export interface PriceDataServer {
  readonly url: string;
  answer: Answer;
  /** Requests received, with their If-None-Match header. */
  readonly requests: { ifNoneMatch: string | undefined }[];
  close(): Promise<void>;
}

export async function startPriceDataServer(
  answer: Answer,
): Promise<PriceDataServer> {
  const hanging = new Set<ServerResponse>();
  const state = {
    answer,
    requests: [] as { ifNoneMatch: string | undefined }[],
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const ifNoneMatch = req.headers['if-none-match'];
    state.requests.push({ ifNoneMatch });
    const current = state.answer;
    if (current.kind === 'hang') {
      hanging.add(res);
      return;
    }
    if (current.kind === 'status') {
      res.writeHead(current.status).end('no');
      return;
    }
    if (current.kind === 'chunks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < current.count; i++) res.write(current.chunk);
      res.end();
      return;
    }
    const etag = `"${createHash('sha256').update(current.body).digest('hex').slice(0, 16)}"`;
    if (current.etag === true && ifNoneMatch === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/json',
        ...(current.etag === true ? { etag } : {}),
      })
      .end(current.body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/data.json`,
    get answer() {
      return state.answer;
    },
    set answer(next: Answer) {
      state.answer = next;
    },
    requests: state.requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

/** The data bundled with genai-prices 0.1.8, as its data.json lists it. */
export async function bundledProviders(): Promise<Provider[]> {
  return structuredClone((await waitForUpdate()) as Provider[]);
}

/**
 * The bundled data with OpenAI's gpt-4o input at $3 per million tokens
 * (instead of the published $2.50; output stays at $10, cache reads at
 * $1.25) and DeepSeek's deepseek-chat at a flat $9 / $9 (a price we
 * correct: the correction must still win).
 */
export async function changedPriceData(): Promise<string> {
  const providers = await bundledProviders();
  const openai = providers.find(p => p.id === 'openai') as Provider;
  const gpt4o = openai.models.find(m => m.id === 'gpt-4o');
  if (gpt4o === undefined || Array.isArray(gpt4o.prices)) {
    throw new Error('bundled gpt-4o entry changed shape');
  }
  gpt4o.prices = { ...gpt4o.prices, input_mtok: 3 };
  const deepseek = providers.find(p => p.id === 'deepseek') as Provider;
  const chat = deepseek.models.find(m => m.id === 'deepseek-chat');
  if (chat === undefined) throw new Error('bundled deepseek-chat missing');
  chat.prices = { input_mtok: 9, output_mtok: 9 };
  return JSON.stringify(providers);
}

/** `genai-prices-data@sha256:<first 12 hex>` of a body, computed here. */
export function expectedDataVersion(body: string): string {
  const hex = createHash('sha256').update(body).digest('hex');
  return `genai-prices-data@sha256:${hex.slice(0, 12)}`;
}
