/**
 * The two-hook floor under a cost processor on spans that are not LLM
 * spans (issue 15, item 1), for `floor-run.ts`: `onStart` and `onEnding`
 * each decide "is this an LLM span?" as cheaply as we could, and do nothing
 * else. Any correct rule must look at the marker keys of every family
 * `classifySpan` reads (AI SDK, Langfuse, OpenInference, GenAI: seven keys,
 * present with any value), so each hook passes over the span's keys once,
 * comparing each key with the seven markers by reference (the way
 * `classifyPlainAttributes` does; keys and markers are internalized
 * strings). At start, the name too (emitters that set their markers only at
 * the end: `chat gpt-4o`, `ai.generateText.doGenerate`, `bedrock.converse`,
 * `ChatOpenAI`, ...), read as far as its first character for the bench's
 * names (`GET /...`, `SELECT ...`, `POST`), as a switch on it rejects every
 * name no LLM rule of `classify-at-start.ts` can match.
 *
 * What `CostSpanProcessor` adds beyond this on a non-LLM span is its own
 * work: the scope check at start, the attribute count read, the span id
 * and the engine's look-up at the end (covered by a child call), the
 * try/catch and shutdown checks.
 */
import type { Context } from '@opentelemetry/api';
import type {
  ReadableSpan,
  Span,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

const AI_OPERATION_ID = 'ai.operationId';
const LANGFUSE_OBSERVATION_TYPE = 'langfuse.observation.type';
const OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';
const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
const GEN_AI_SYSTEM = 'gen_ai.system';
const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
const LLM_MODEL_NAME = 'llm.model_name';

/** Whether any key of `attributes` is a marker key of a family. */
function hasMarkerKey(attributes: object): boolean {
  for (const key in attributes) {
    if (
      key === GEN_AI_OPERATION_NAME ||
      key === GEN_AI_PROVIDER_NAME ||
      key === GEN_AI_SYSTEM ||
      key === AI_OPERATION_ID ||
      key === OPENINFERENCE_SPAN_KIND ||
      key === LLM_MODEL_NAME ||
      key === LANGFUSE_OBSERVATION_TYPE
    ) {
      return true;
    }
  }
  return false;
}

/**
 * False for a name no LLM-name rule can match, by its first character:
 * `chat`, `text_completion`, `generate_content`, `embeddings`,
 * `invoke_agent`, `create_agent`, `execute_tool`, `invoke_workflow`,
 * `workflow`, `task`, `ai.*`, `Anthropic Messages`, `anthropic.*`,
 * `bedrock.*`, `Chat*`. A true answer is a candidate only (the regular
 * expressions of `classify-at-start.ts` would decide); the bench's
 * non-LLM names never get there.
 */
function mayBeLlmName(name: string): boolean {
  switch (name.charCodeAt(0)) {
    case 0x61: // a
    case 0x62: // b
    case 0x63: // c
    case 0x65: // e
    case 0x67: // g
    case 0x69: // i
    case 0x74: // t
    case 0x77: // w
    case 0x41: // A
    case 0x43: // C
      return true;
    default:
      return false;
  }
}

export interface TwoHookFloorOptions {
  /**
   * Also look the span's id up at the end, in a Map of span ids (as ours
   * looks up a mark an LLM call below left on its wrapper, by span id):
   * the price of that bookkeeping on a span that is not an LLM span.
   */
  readonly lookUpSpanId?: boolean;
}

export class TwoHookFloorProcessor implements SpanProcessor {
  /** Spans seen as LLM candidates (read, so the work is not dropped). */
  candidates = 0;
  private readonly _lookUp: boolean;
  /** Span ids marked by a call below (a few, as in flight in an app). */
  private readonly _marked = new Map<string, number>();

  constructor(options: TwoHookFloorOptions = {}) {
    this._lookUp = options.lookUpSpanId === true;
    for (let i = 0; i < 64; i++) {
      this._marked.set((0x1000000000000000n + BigInt(i)).toString(16), i);
    }
  }

  onStart(span: Span, _parentContext: Context): void {
    if (hasMarkerKey(span.attributes) || mayBeLlmName(span.name)) {
      this.candidates++;
    }
  }

  onEnding(span: Span): void {
    if (hasMarkerKey(span.attributes)) this.candidates++;
    else if (this._lookUp && this._marked.has(span.spanContext().spanId)) {
      this.candidates++;
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
