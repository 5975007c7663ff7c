/**
 * What the AI SDK scenario table needs from one major version (or, for v7,
 * one telemetry integration): how to make each call with that major's API
 * and mock models, and what its spans look like. The scenarios and their
 * assertions live once, in `../ai-sdk.test.ts`; only the API differences
 * live in the per-major adapters (`v4.ts` ... `v7.ts`).
 *
 * Every call takes the tracer to pass; `undefined` means "pass none" (the
 * SDK uses the global provider, or for v7 the globally registered
 * integrations, after `useGlobal()`).
 */
import type { Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TokenRates } from '../../helpers/prices.js';

/** Input and output token counts of one call, without cache or reasoning. */
export interface Tokens {
  readonly input: number;
  readonly output: number;
}

/** The names of the provider-call spans and of every other span of a trace. */
export interface Names {
  readonly calls: readonly string[];
  readonly wrappers: readonly string[];
}

/** Attribute values a span must carry (`undefined`: must not carry it). */
export type ExpectedAttributes = Readonly<Record<string, unknown>>;

/** A call that reports cache reads and writes in this major's own shape. */
export interface AnthropicCacheCase {
  readonly label: string;
  readonly names: Names;
  readonly rates: TokenRates;
  /** Uncached input tokens; always 3000 cache reads, 1000 cache writes, 400 output. */
  readonly uncached: number;
  readonly callAttributes: ExpectedAttributes;
  run(tracer: Tracer | undefined): Promise<void>;
}

export interface AiSdkMajor {
  readonly label: string;
  /** Instrumentation scope of the spans when no tracer is passed. */
  readonly scope: string;
  /** Whether a span is one provider call (structure, not cost attributes). */
  isCall(span: ReadableSpan): boolean;
  readonly names: {
    readonly generateText: Names;
    readonly streamText: Names;
    readonly generateObject: Names;
    readonly embed: Names;
    readonly embedMany: Names;
    readonly toolLoop: Names;
  };
  generateText(
    tokens: Tokens,
    tracer: Tracer | undefined,
    modelId?: string,
  ): Promise<void>;
  /** Returns the streamed text. */
  streamText(tokens: Tokens, tracer: Tracer | undefined): Promise<string>;
  /** Answers `{"city":"Paris","celsius":21}`; returns the parsed object. */
  generateObject(tokens: Tokens, tracer: Tracer | undefined): Promise<unknown>;
  /** Embeds one value at 10 tokens. */
  embed(tracer: Tracer | undefined): Promise<void>;
  /** Embeds three values, two per call (20 and 10 tokens); returns the count. */
  embedMany(tracer: Tracer | undefined): Promise<number>;
  /** A weather tool loop of two model calls; returns the number of steps. */
  toolLoop(
    steps: readonly [Tokens, Tokens],
    tracer: Tracer | undefined,
  ): Promise<number>;
  /** What the root span of the tool loop says about input tokens. */
  readonly toolLoopRoot: { readonly attribute: string; readonly value: number };
  readonly generateObjectCallAttributes: ExpectedAttributes;
  readonly embedManyRootAttributes: ExpectedAttributes;
  /**
   * gpt-4o-mini: 1000 input of which 600 cache reads, 300 output of which
   * 100 reasoning, written the way this major writes them.
   */
  readonly openAiCache: {
    readonly names: Names;
    readonly callAttributes: ExpectedAttributes;
    run(tracer: Tracer | undefined): Promise<void>;
  };
  readonly anthropicCache: readonly AnthropicCacheCase[];
  /** Makes calls without a tracer reach the test provider's spans. */
  useGlobal?(): void;
  /** Undoes `useGlobal()`. */
  resetGlobal?(): void;
}
