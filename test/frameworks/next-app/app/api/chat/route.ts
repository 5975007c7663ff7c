/**
 * A Next.js App Router route handler, as a user writes it: the handler is
 * wrapped in `withAttributionHandler`, waits, makes one LLM call (a GenAI
 * chat span on the global tracer provider, which the test registered with a
 * `CostSpanProcessor` before Next loaded) and answers with the attribution
 * it saw. Headers drive the test: `x-user-id`, `x-request-id`, `x-delays`
 * (two waits in ms) and `x-resolver` (`async`, `throw`, `reject`).
 */
import { trace } from '@opentelemetry/api';
import { getAttribution, withAttributionHandler } from 'otel-genai-cost';

export const dynamic = 'force-dynamic';

const tracer = trace.getTracer('next-app');

function pause(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function delays(request: Request): [number, number] {
  const [a, b] = (request.headers.get('x-delays') ?? '').split(',').map(Number);
  return [a || Math.floor(Math.random() * 5), b || 0];
}

async function resolveTags(request: Request) {
  const mode = request.headers.get('x-resolver');
  if (mode === 'throw') throw new Error('session store down');
  if (mode === 'reject' || mode === 'async') await pause(1);
  if (mode === 'reject') throw new Error('session store down');
  const userId = request.headers.get('x-user-id');
  return userId === null ? undefined : { userId };
}

async function chat(request: Request): Promise<Response> {
  const [before, after] = delays(request);
  if (request.method === 'POST') await request.json();
  await pause(before);
  const span = tracer.startSpan('chat gpt-4o-mini', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'test.request_id': request.headers.get('x-request-id') ?? 'none',
    },
  });
  span.setAttributes({
    'gen_ai.response.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 100,
  });
  span.end();
  await pause(after);
  return Response.json({ tags: getAttribution() ?? null });
}

export const GET = withAttributionHandler(resolveTags, chat);
export const POST = withAttributionHandler(resolveTags, chat);
