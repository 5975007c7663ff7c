/**
 * The in-flight scenarios: which spans are started, and in which order they
 * end (children first, as in a real trace).
 */
import {
  ROOT_CONTEXT,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { yieldToEventLoop } from '../harness/memory.js';
import type { Pipeline } from './pipelines.js';
import { startSpan } from './span-driver.js';
import {
  AGENT_WRAPPER,
  GEN_AI_CHAT,
  HTTP_SERVER,
  type SpanShape,
} from './span-shapes.js';

export interface Started {
  readonly span: Span;
  readonly shape: SpanShape;
}

let nextId = 0;

/** Ends spans in order, yielding now and then so batches get exported. */
export async function endAll(started: readonly Started[]): Promise<void> {
  for (let i = 0; i < started.length; i++) {
    const { span, shape } = started[i] as Started;
    span.setAttributes(shape.endAttributes);
    if (shape.responseIdKey !== undefined) {
      span.setAttribute(shape.responseIdKey, `chatcmpl-inflight-${nextId++}`);
    }
    span.end();
    if (i % 1000 === 999) await yieldToEventLoop();
  }
}

/** A remote parent, as when the request came with a `traceparent` header. */
function remoteParent(i: number): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    traceFlags: 1,
    isRemote: true,
  });
}

/** Starts the spans of one scenario; returns them in the order to end. */
export type Scenario = (pipeline: Pipeline, spans: number) => Started[][];

const independent: Scenario = (pipeline, spans) => {
  const chats: Started[] = [];
  for (let i = 0; i < spans; i++) {
    chats.push({
      span: startSpan(pipeline, GEN_AI_CHAT, ROOT_CONTEXT),
      shape: GEN_AI_CHAT,
    });
  }
  return [chats];
};

function nested(remote: boolean): Scenario {
  return (pipeline, spans) => {
    const roots: Started[] = [];
    const agents: Started[] = [];
    const chats: Started[] = [];
    for (let t = 0; t < spans / 4; t++) {
      const rootContext = remote ? remoteParent(t) : ROOT_CONTEXT;
      const root = startSpan(pipeline, HTTP_SERVER, rootContext);
      const agent = startSpan(
        pipeline,
        AGENT_WRAPPER,
        trace.setSpan(rootContext, root),
      );
      const agentContext = trace.setSpan(rootContext, agent);
      roots.push({ span: root, shape: HTTP_SERVER });
      agents.push({ span: agent, shape: AGENT_WRAPPER });
      for (let c = 0; c < 2; c++) {
        chats.push({
          span: startSpan(pipeline, GEN_AI_CHAT, agentContext),
          shape: GEN_AI_CHAT,
        });
      }
    }
    return [chats, agents, roots];
  };
}

export const IN_FLIGHT_SCENARIOS: readonly {
  id: string;
  label: string;
  run: Scenario;
}[] = [
  {
    id: 'independent',
    label: 'independent LLM spans (roots)',
    run: independent,
  },
  {
    id: 'nested',
    label: 'nested: HTTP root > invoke_agent > 2 chat',
    run: nested(false),
  },
  {
    id: 'nested_remote_parent',
    label: 'nested, roots under a remote parent (incoming traceparent)',
    run: nested(true),
  },
];
