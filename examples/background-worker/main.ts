/**
 * A background worker that calls an LLM without an instrumented SDK (raw
 * HTTP here; a batch API or another language's worker works the same) and
 * records each call with `recordLlmCall`. The job carries the attribution
 * captured when it was enqueued (`getAttribution()` is a plain JSON object),
 * and the worker restores it with `withAttribution`, so the cost lands on the
 * user who asked, plus a `feature` tag for the job type.
 *
 *   OPENAI_API_KEY=... npx tsx examples/background-worker/main.ts
 */
import { pathToFileURL } from 'node:url';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  CostSpanProcessor,
  getAttribution,
  recordLlmCall,
  withAttribution,
} from 'otel-genai-cost';

export interface Job {
  readonly documentId: string;
  /** Who asked for it, captured at enqueue time. */
  readonly attribution: Readonly<Record<string, string>>;
}

export interface WorkerExampleOptions {
  /** OpenAI-compatible API base URL, e.g. `https://api.openai.com/v1`. */
  readonly baseURL?: string;
  readonly apiKey?: string;
  readonly exporter?: SpanExporter;
}

interface ChatCompletion {
  readonly id: string;
  readonly model: string;
  readonly usage: {
    readonly prompt_tokens: number;
    readonly completion_tokens: number;
    readonly prompt_tokens_details?: { readonly cached_tokens?: number };
  };
}

/** In the web process: enqueue with the attribution of the current request. */
export function enqueue(queue: Job[], documentId: string): void {
  queue.push({ documentId, attribution: { ...(getAttribution() ?? {}) } });
}

export async function run(options: WorkerExampleOptions = {}): Promise<number> {
  const provider = new NodeTracerProvider({
    spanProcessors: [
      new CostSpanProcessor(),
      new BatchSpanProcessor(options.exporter ?? new ConsoleSpanExporter()),
    ],
  });
  provider.register();
  try {
    // What two web requests left in the queue (a real queue stores the JSON).
    const queue: Job[] = [];
    withAttribution({ userId: 'user-1', tenantId: 'acme' }, () =>
      enqueue(queue, 'doc-1'),
    );
    withAttribution({ userId: 'user-2', tenantId: 'globex' }, () =>
      enqueue(queue, 'doc-2'),
    );

    for (const job of queue) {
      await withAttribution(job.attribution, () => summarize(job, options));
    }
    return queue.length;
  } finally {
    await provider.shutdown();
  }
}

async function summarize(
  job: Job,
  options: WorkerExampleOptions,
): Promise<void> {
  const baseURL = options.baseURL ?? 'https://api.openai.com/v1';
  const startTime = Date.now();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${options.apiKey ?? process.env['OPENAI_API_KEY'] ?? ''}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: `Summarize document ${job.documentId}.` },
      ],
    }),
  });
  if (!response.ok) throw new Error(`LLM call failed: ${response.status}`);
  const completion = (await response.json()) as ChatCompletion;
  recordLlmCall({
    provider: 'openai',
    model: 'gpt-4o-mini',
    responseModel: completion.model,
    responseId: completion.id,
    usage: {
      inputTokens: completion.usage.prompt_tokens, // cached ones included
      outputTokens: completion.usage.completion_tokens,
      cacheReadTokens:
        completion.usage.prompt_tokens_details?.cached_tokens ?? 0,
    },
    tags: { feature: 'nightly-digest' },
    startTime,
    endTime: Date.now(),
  });
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  void run().then(jobs => console.log(`${jobs} jobs done`));
}
