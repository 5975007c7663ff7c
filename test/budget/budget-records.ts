/**
 * Records as the processor hands them to a sink, built by hand for the
 * guard's tests, priced from OpenAI's published rates (never from the
 * library): gpt-4o $2.50 input / $10.00 output per 1M tokens.
 */
import { randomBytes } from 'node:crypto';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { CostRecord } from '../../src/index.js';

export const GPT_4O = { input: 2.5, output: 10 };

/** Micro-dollars of a gpt-4o call (an even input count gives whole micro-dollars). */
export function gpt4oMicros(input: number, output: number): number {
  return input * GPT_4O.input + output * GPT_4O.output;
}

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/** A priced gpt-4o call of the subject. */
export function gpt4oRecord(
  subject: { userId?: string; tenantId?: string; plan?: string },
  input: number,
  output: number,
  ids: { traceId?: string; spanId?: string } = {},
): CostRecord {
  const inputUsd = (input * GPT_4O.input) / 1e6;
  const outputUsd = (output * GPT_4O.output) / 1e6;
  return {
    traceId: ids.traceId ?? newTraceId(),
    spanId: ids.spanId ?? newSpanId(),
    call: {} as CostRecord['call'],
    identity: {
      userId: subject.userId,
      sessionId: undefined,
      tenantId: subject.tenantId,
      plan: subject.plan,
      feature: undefined,
      tags: {},
      source: 'manual',
    },
    cost: {
      priced: true,
      source: 'price_table',
      totalUsd: inputUsd + outputUsd,
      modelId: 'gpt-4o',
      inputUsd,
      outputUsd,
      cacheReadUsd: 0,
      cacheWriteUsd: 0,
      priceVersion: 'test',
    },
  };
}

/** Records diag warnings until the returned stop is called. */
export function captureWarnings(): { warnings: string[]; stop: () => void } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  const logger: DiagLogger = {
    error: ignore,
    warn: message => warnings.push(message),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return { warnings, stop: () => diag.disable() };
}
