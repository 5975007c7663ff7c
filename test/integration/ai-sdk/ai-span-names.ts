/**
 * The `ai.*` span family of AI SDK v4-v6 built-in telemetry, also written by
 * v7's `LegacyOpenTelemetry` integration: provider calls end in
 * `.doGenerate` / `.doStream` / `.doEmbed`, every other span is a wrapper.
 */
import type { Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AiSdkMajor } from './ai-sdk-major.js';

export const isAiCall = (span: ReadableSpan): boolean =>
  /\.do(Generate|Stream|Embed)$/.test(span.name);

export const AI_SPAN_NAMES: AiSdkMajor['names'] = {
  generateText: {
    calls: ['ai.generateText.doGenerate'],
    wrappers: ['ai.generateText'],
  },
  streamText: {
    calls: ['ai.streamText.doStream'],
    wrappers: ['ai.streamText'],
  },
  generateObject: {
    calls: ['ai.generateObject.doGenerate'],
    wrappers: ['ai.generateObject'],
  },
  embed: { calls: ['ai.embed.doEmbed'], wrappers: ['ai.embed'] },
  embedMany: {
    calls: ['ai.embedMany.doEmbed', 'ai.embedMany.doEmbed'],
    wrappers: ['ai.embedMany'],
  },
  toolLoop: {
    calls: ['ai.generateText.doGenerate', 'ai.generateText.doGenerate'],
    wrappers: ['ai.generateText', 'ai.toolCall'],
  },
};

/** `experimental_telemetry` of v4-v6: the tracer when given, else the global one. */
export function experimentalTelemetry(tracer: Tracer | undefined) {
  return {
    isEnabled: true,
    functionId: 'weather-bot',
    ...(tracer === undefined ? {} : { tracer }),
  };
}
