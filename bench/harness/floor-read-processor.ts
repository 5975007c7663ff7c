/**
 * The read floor under a cost processor on LLM spans (issue 15, item 1):
 * only the work any correct cost processor must do on an ended LLM span,
 * written as tightly as we could, for `floor-run.ts` to measure beside
 * `CostSpanProcessor` and the write floor. Not a product: it knows only the
 * bench's models, and keeps no bookkeeping (no exactly-once, no stacked
 * layers, no attribution context, no ancestors).
 *
 * In `onEnding`, per span:
 * 1. one listing of the attribute keys (`Object.keys`): the marker keys of
 *    every family `classifySpan` reads, and the identity keys, whose names
 *    are open-ended (`ai.telemetry.metadata.*`, `app.tag.*`, ...), so only
 *    a pass over the keys finds them (a pair table, then exact/prefix);
 * 2. the family's model, provider and token counts (input, output, cache
 *    read, cache write, reasoning), by literal property reads;
 * 3. a price from a prebuilt Map (provider -> model -> rates, tiers by
 *    input size), multiplied out;
 * 4. the 11 attributes `CostSpanProcessor` writes, in one `setAttributes`
 *    of a fresh object (as ours writes its update);
 * 5. the cost added to one counter labelled (provider, model, plan, tenant
 *    bucket) on a registered MeterProvider: either per-label-set totals
 *    reported by an observable counter at collection, the last label set
 *    kept for the next call (`batched`, as `CostMetrics` does), or a
 *    synchronous `Counter.add` per call (`sync`, the naive way).
 * The user and tenant written (attribution in ours, from the context) are
 * the request's constants: reading the context is not in this floor.
 */
import type { Attributes, Context, Counter } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type {
  ReadableSpan,
  Span,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  FLOOR_PRICE_VERSION,
  floorLabelOf,
  floorPrices,
  type FloorRates,
} from './floor-prices.js';

/** `gen_ai.operation.name` values of wrappers (as `classifySpan`). */
const GEN_AI_WRAPPERS = new Set([
  'invoke_agent',
  'create_agent',
  'agent_step',
  'execute_tool',
  'invoke_workflow',
  'plan',
  'retrieval',
  'workflow',
  'task',
]);

const AI_OPERATION_ID = 'ai.operationId';
const LANGFUSE_OBSERVATION_TYPE = 'langfuse.observation.type';
const OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';
const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
const GEN_AI_SYSTEM = 'gen_ai.system';
const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
const LLM_MODEL_NAME = 'llm.model_name';

/** Identity keys and prefixes, as `read-span-identity.ts` lists them. */
const IDENTITY_EXACT = new Map<string, string>([
  ['user.id', 'userId'],
  ['session.id', 'sessionId'],
  ['tenant.id', 'tenantId'],
  ['app.plan', 'plan'],
  ['app.feature', 'feature'],
  ['user.email', 'email'],
  ['langfuse.user.id', 'userId'],
  ['langfuse.session.id', 'sessionId'],
  ['enduser.id', 'userId'],
  ['gen_ai.conversation.id', 'sessionId'],
]);
const IDENTITY_PREFIXES: readonly string[] = [
  'app.tag.',
  'langfuse.observation.metadata.',
  'langfuse.trace.metadata.',
  'ai.telemetry.metadata.',
  'ai.settings.context.',
  'traceloop.association.properties.',
  'metadata.',
];
/** (first, fourth character) pairs of every identity key and prefix. */
const PAIRS = new Uint8Array(1024);
const pairOf = (key: string): number =>
  ((key.charCodeAt(0) & 31) << 5) | (key.charCodeAt(3) & 31);
for (const key of [...IDENTITY_EXACT.keys(), ...IDENTITY_PREFIXES]) {
  PAIRS[pairOf(key)] = 1;
}

/** The identity tag a key carries (userId, plan, ...), or undefined. */
function identityTagOf(key: string): string | undefined {
  const exact = IDENTITY_EXACT.get(key);
  if (exact !== undefined) return exact;
  for (let i = 0; i < IDENTITY_PREFIXES.length; i++) {
    const prefix = IDENTITY_PREFIXES[i] as string;
    if (key.length > prefix.length && key.startsWith(prefix)) {
      return key.slice(prefix.length);
    }
  }
  return undefined;
}

/** To 1e-12 USD, as ours rounds (hides float noise: 0.00018, not ...98). */
const roundUsd = (value: number): number => Math.round(value * 1e12) / 1e12;
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** One label set's running total (`batched`). */
interface LabelTotals {
  readonly labels: Attributes;
  costUsd: number;
}

export interface ReadFloorOptions {
  readonly meterProvider: MeterProvider;
  readonly counter: 'batched' | 'sync';
  /** The request's user and tenant (written, and the tenant label). */
  readonly userId: string;
  readonly tenantId: string;
  /** Tenants named on the counter; the rest go to hash buckets. */
  readonly tenantTopK: number;
  readonly tenantBuckets: number;
}

export class ReadFloorProcessor implements SpanProcessor {
  private readonly _prices = floorPrices();
  private readonly _options: ReadFloorOptions;
  private readonly _counter: Counter | undefined;
  private readonly _totals = new Map<string, LabelTotals>();
  private readonly _tenants = new Set<string>();
  private _last: LabelTotals | undefined;
  private _lastProvider = '';
  private _lastModel = '';
  private _lastPlan = '';
  private _lastTenant = '';
  /** Identity values read (kept, so the reads are not optimized away). */
  identityFound = 0;

  constructor(options: ReadFloorOptions) {
    this._options = options;
    const meter = options.meterProvider.getMeter('floor');
    if (options.counter === 'sync') {
      this._counter = meter.createCounter('floor.cost');
    } else {
      const cost = meter.createObservableCounter('floor.cost');
      cost.addCallback(result => {
        for (const totals of this._totals.values()) {
          result.observe(totals.costUsd, totals.labels);
        }
      });
    }
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const attributes = span.attributes;
    // 1. One listing: markers and identity keys.
    let markers = 0;
    let plan: string | undefined;
    const keys = Object.keys(attributes);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (
        key === GEN_AI_OPERATION_NAME ||
        key === GEN_AI_PROVIDER_NAME ||
        key === GEN_AI_SYSTEM ||
        key === AI_OPERATION_ID ||
        key === OPENINFERENCE_SPAN_KIND ||
        key === LLM_MODEL_NAME ||
        key === LANGFUSE_OBSERVATION_TYPE
      ) {
        markers++;
      } else if (PAIRS[pairOf(key)] !== 0) {
        const tag = identityTagOf(key);
        if (tag !== undefined) {
          const value = str(attributes[key]);
          if (value !== undefined) this.identityFound++;
          if (tag === 'plan') plan = value;
        }
      }
    }
    if (markers === 0) return;
    // 2. The family's reads (the classification by marker value included).
    let provider: string | undefined;
    let model: string | undefined;
    let input: number;
    let output: number;
    let cacheRead: number;
    let cacheWrite: number;
    let reasoning: number;
    const operationId = attributes[AI_OPERATION_ID];
    if (typeof operationId === 'string') {
      if (
        !operationId.endsWith('.doGenerate') &&
        !operationId.endsWith('.doStream') &&
        !operationId.endsWith('.doEmbed')
      ) {
        return;
      }
      provider = str(attributes['ai.model.provider']);
      model =
        str(attributes['ai.response.model']) ?? str(attributes['ai.model.id']);
      input = num(attributes['ai.usage.inputTokens']);
      output = num(attributes['ai.usage.outputTokens']);
      cacheRead = num(attributes['ai.usage.inputTokenDetails.cacheReadTokens']);
      cacheWrite = num(
        attributes['ai.usage.inputTokenDetails.cacheWriteTokens'],
      );
      reasoning = num(
        attributes['ai.usage.outputTokenDetails.reasoningTokens'],
      );
    } else if (typeof attributes[OPENINFERENCE_SPAN_KIND] === 'string') {
      const kind = attributes[OPENINFERENCE_SPAN_KIND] as string;
      if (kind !== 'LLM' && kind.toUpperCase() !== 'LLM') return;
      provider =
        str(attributes['llm.provider']) ?? str(attributes['llm.system']);
      model = str(attributes[LLM_MODEL_NAME]);
      input = num(attributes['llm.token_count.prompt']);
      output = num(attributes['llm.token_count.completion']);
      cacheRead = num(attributes['llm.token_count.prompt_details.cache_read']);
      cacheWrite = num(
        attributes['llm.token_count.prompt_details.cache_write'],
      );
      reasoning = num(
        attributes['llm.token_count.completion_details.reasoning'],
      );
    } else {
      const operation = attributes[GEN_AI_OPERATION_NAME];
      if (typeof operation === 'string' && GEN_AI_WRAPPERS.has(operation)) {
        return;
      }
      provider =
        str(attributes[GEN_AI_PROVIDER_NAME]) ?? str(attributes[GEN_AI_SYSTEM]);
      model =
        str(attributes['gen_ai.response.model']) ??
        str(attributes['gen_ai.request.model']);
      input = num(attributes['gen_ai.usage.input_tokens']);
      output = num(attributes['gen_ai.usage.output_tokens']);
      cacheRead = num(attributes['gen_ai.usage.cache_read.input_tokens']);
      cacheWrite = num(attributes['gen_ai.usage.cache_creation.input_tokens']);
      reasoning = num(attributes['gen_ai.usage.reasoning.output_tokens']);
    }
    if (provider === undefined || model === undefined) return;
    // 3. Price from the prebuilt Map, multiplied out.
    const rates = this._prices.get(provider)?.get(model);
    if (rates === undefined) return;
    const tier: FloorRates =
      rates.above !== undefined && input > rates.threshold
        ? rates.above
        : rates;
    const uncached = Math.max(0, input - cacheRead - cacheWrite);
    const inputUsd = roundUsd(uncached * tier.input);
    const ownReasoning = tier.reasoning;
    const outputUsd = roundUsd(
      ownReasoning === undefined
        ? output * tier.output
        : (output - Math.min(reasoning, output)) * tier.output +
            Math.min(reasoning, output) * ownReasoning,
    );
    const cacheReadUsd = roundUsd(cacheRead * tier.cacheRead);
    const cacheWriteUsd = roundUsd(cacheWrite * tier.cacheWrite);
    const totalUsd = roundUsd(
      inputUsd + outputUsd + cacheReadUsd + cacheWriteUsd,
    );
    const options = this._options;
    // 4. The 11 attributes.
    span.setAttributes({
      'gen_ai.usage.cost': totalUsd,
      'gen_ai.cost.input': inputUsd,
      'gen_ai.cost.output': outputUsd,
      'gen_ai.cost.cache_read': cacheReadUsd,
      'gen_ai.cost.cache_write': cacheWriteUsd,
      'gen_ai.cost.currency': 'USD',
      'gen_ai.cost.source': 'price_table',
      'gen_ai.cost.price_version': FLOOR_PRICE_VERSION,
      'gen_ai.cost.attribution.source': 'context',
      'user.id': options.userId,
      'tenant.id': options.tenantId,
    });
    // 5. The counter.
    this._count(rates.providerLabel, rates.modelLabel, plan, totalUsd);
  }

  private _count(
    provider: string,
    model: string,
    planValue: string | undefined,
    costUsd: number,
  ): void {
    const plan = planValue ?? 'none';
    const tenantId = this._options.tenantId;
    const last = this._last;
    if (
      last !== undefined &&
      provider === this._lastProvider &&
      model === this._lastModel &&
      plan === this._lastPlan &&
      tenantId === this._lastTenant
    ) {
      if (this._counter !== undefined) this._counter.add(costUsd, last.labels);
      else last.costUsd += costUsd;
      return;
    }
    const tenant = this._tenantLabel(tenantId);
    const key = `${provider}\u0000${model}\u0000${plan}\u0000${tenant}`;
    let totals = this._totals.get(key);
    if (totals === undefined) {
      totals = { labels: { provider, model, plan, tenant }, costUsd: 0 };
      this._totals.set(key, totals);
    }
    this._last = totals;
    this._lastProvider = provider;
    this._lastModel = model;
    this._lastPlan = plan;
    this._lastTenant = tenantId;
    if (this._counter !== undefined) this._counter.add(costUsd, totals.labels);
    else totals.costUsd += costUsd;
  }

  /** The first `tenantTopK` tenants by name, the rest in hash buckets. */
  private _tenantLabel(tenantId: string): string {
    const tenants = this._tenants;
    if (tenants.has(tenantId)) return tenantId;
    if (tenants.size < this._options.tenantTopK) {
      tenants.add(tenantId);
      return tenantId;
    }
    return floorLabelOf(tenantId, this._options.tenantBuckets);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
