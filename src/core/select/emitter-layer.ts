/**
 * Which layer of a stack of instrumentations wrote an LLM span, from its
 * instrumentation scope (tracer) name alone:
 * - `framework`: an orchestration framework's model call (LangChain,
 *   LangGraph, LlamaIndex), recorded by OpenInference or Traceloop from the
 *   framework's callbacks; the framework then calls a provider client;
 * - `instrumentation`: an instrumentation that patches a provider client
 *   (OpenInference, Traceloop/OpenLLMetry, OpenTelemetry contrib, Elastic);
 * - `provider_sdk`: the provider SDK's own spans (`@anthropic-ai/sdk` >= 1.14).
 *
 * Two spans of different layers can be the same provider call recorded
 * twice, possibly in different traces (`StackedCalls` matches them). A scope
 * outside these lists has no layer and is never matched across traces.
 *
 * The scope name is the one signal that is there when a span starts (the
 * framework's model and usage are set at its end), in every shell (the
 * gateway sees scopes, not parents in other requests), and that names the
 * package that wrote the span. This is the one place that knows the list.
 */
export type EmitterLayer = 'framework' | 'instrumentation' | 'provider_sdk';

/** Outer layers first: a higher rank wraps a lower one. */
export const LAYER_RANK: Readonly<Record<EmitterLayer, number>> = {
  framework: 3,
  instrumentation: 2,
  provider_sdk: 1,
};

/** Framework packages, JS and Python scope spellings. */
const FRAMEWORK = /langchain|langgraph|llama[-_]?index/i;

/**
 * Scope prefixes of packages whose every instrumentation is about LLMs
 * (OpenInference, Traceloop/OpenLLMetry; JS and Python spellings).
 */
const LLM_PACKAGE_PREFIXES = [
  '@arizeai/openinference-instrumentation-',
  'openinference.instrumentation.',
  '@traceloop/instrumentation-',
  'opentelemetry.instrumentation.',
];

/**
 * Client instrumentations of other families, by exact scope name. The AWS
 * SDK's also traces every other AWS call: only its spans that start as LLM
 * calls (`gen_ai.*` set at start) are remembered (`MIXED_SCOPES`).
 */
const CLIENT_SCOPES = new Set([
  '@opentelemetry/instrumentation-openai',
  '@opentelemetry/instrumentation-aws-sdk',
  '@opentelemetry/instrumentation-google-genai',
  '@elastic/opentelemetry-instrumentation-openai',
]);
const MIXED_SCOPES = new Set(['@opentelemetry/instrumentation-aws-sdk']);

/** Scope prefixes of provider SDKs that trace themselves. */
const PROVIDER_SDK_PREFIXES = ['com.anthropic.sdk'];

const MAX_CACHED = 256;

/** What is known of one scope name: its layer and `remembersFromStart`. */
interface ScopeFacts {
  readonly layer: EmitterLayer | undefined;
  readonly remembers: boolean;
}
const NO_LAYER: ScopeFacts = Object.freeze({
  layer: undefined,
  remembers: false,
});
/** Shared answers: one per (layer, mixed), so the cache holds no new object. */
const FACTS = new Map<string, ScopeFacts>();
function factsOf(layer: EmitterLayer | undefined, mixed: boolean): ScopeFacts {
  if (layer === undefined) return NO_LAYER;
  const key = `${layer}:${String(mixed)}`;
  let facts = FACTS.get(key);
  if (facts === undefined) {
    facts = Object.freeze({ layer, remembers: !mixed });
    FACTS.set(key, facts);
  }
  return facts;
}

/** One look-up per span and scope name (bounded). */
const cache = new Map<string, ScopeFacts>();
/**
 * The scope asked last and its facts: an engine asks up to three times
 * per LLM span, almost always of one scope (the same string object, so
 * the comparison is one pointer check), with no hashing.
 */
let lastScope: string | undefined;
let lastFacts: ScopeFacts = NO_LAYER;
function scopeFacts(scopeName: string): ScopeFacts {
  if (scopeName === lastScope) return lastFacts;
  let facts = cache.get(scopeName);
  if (facts === undefined) {
    facts = factsOf(resolve(scopeName), MIXED_SCOPES.has(scopeName));
    if (cache.size < MAX_CACHED) cache.set(scopeName, facts);
  }
  lastScope = scopeName;
  lastFacts = facts;
  return facts;
}

/** The layer of a scope, or undefined when the scope is not a known emitter. */
export function emitterLayer(scopeName: string): EmitterLayer | undefined {
  return scopeFacts(scopeName).layer;
}

/**
 * Whether every span of the scope is remembered from its start, marker
 * attributes or not (frameworks and OpenInference set them at the end):
 * a layered scope that traces nothing but LLM work.
 */
export function remembersFromStart(scopeName: string): boolean {
  return scopeFacts(scopeName).remembers;
}

function resolve(scopeName: string): EmitterLayer | undefined {
  if (scopeName === '' || scopeName.length > 256) return undefined;
  if (PROVIDER_SDK_PREFIXES.some(prefix => scopeName.startsWith(prefix))) {
    return 'provider_sdk';
  }
  if (CLIENT_SCOPES.has(scopeName)) return 'instrumentation';
  if (!LLM_PACKAGE_PREFIXES.some(prefix => scopeName.startsWith(prefix))) {
    return undefined;
  }
  return FRAMEWORK.test(scopeName) ? 'framework' : 'instrumentation';
}
