/**
 * `StackedCalls` keeps the span started last out of its open-span map
 * until another span starts. Generated sequences of starts, ends and
 * forgets of layered spans (a few span ids, so ids repeat and a span may
 * start again while open; three scopes of the three layers; times that go
 * back and jump past the age bounds; a small open-span bound; models that
 * agree or not, usage or none) must give every answer of the map-only
 * implementation (reference-stacked-calls.ts), in order: each end's
 * outcome (kind, call, partner, partner layer), the calls released, the
 * stacked warnings, the size and which spans are open.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LlmCall } from '../../../src/core/llm-call.js';
import type { EmitterLayer } from '../../../src/core/select/emitter-layer.js';
import { StackedCalls } from '../../../src/core/select/stacked-calls.js';
import type { StackedPreference } from '../../../src/core/select/stacked-preference.js';
import type { SpanAttributes, SpanLike } from '../../../src/core/span-like.js';
import { ReferenceStackedCalls } from './reference-stacked-calls.js';

const T0 = Date.parse('2026-11-01T12:00:00Z');
const IDS = ['a1', 'b2', 'c3', 'd4', 'e5'];
const SCOPES: readonly (readonly [string, EmitterLayer])[] = [
  ['@arizeai/openinference-instrumentation-langchain', 'framework'],
  ['@opentelemetry/instrumentation-openai', 'instrumentation'],
  ['com.anthropic.sdk', 'provider_sdk'],
];
const MODELS = ['gpt-4o', 'gpt-4o-mini', undefined] as const;

type Op =
  | {
      readonly kind: 'start';
      readonly id: number;
      readonly scope: number;
      readonly at: number;
      readonly model: number;
    }
  | {
      readonly kind: 'end';
      readonly id: number;
      readonly at: number;
      readonly model: number;
      readonly input: number | undefined;
    }
  | { readonly kind: 'forget'; readonly id: number; readonly at: number }
  | { readonly kind: 'releaseAll' }
  | { readonly kind: 'clear' };

/** Mostly small steps, sometimes back, sometimes past every bound. */
const at = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -50, max: 400 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3_000, max: -500 }) },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('start' as const),
      id: fc.nat(IDS.length - 1),
      scope: fc.nat(SCOPES.length - 1),
      at,
      model: fc.nat(MODELS.length),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('end' as const),
      id: fc.nat(IDS.length - 1),
      at,
      model: fc.nat(MODELS.length - 1),
      input: fc.option(fc.constantFrom(100, 101, 130, 500), {
        nil: undefined,
        freq: 5,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('forget' as const),
      id: fc.nat(IDS.length - 1),
      at,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'releaseAll' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

type Matcher = StackedCalls<number> | ReferenceStackedCalls<number>;

interface Run {
  readonly matcher: Matcher;
  readonly log: unknown[];
}

/** The live spans both matchers read (one view per start, shared). */
interface World {
  clock: number;
  readonly views: (SpanLike | undefined)[];
  readonly layers: EmitterLayer[];
  values: number;
}

function attributesOf(model: number): SpanAttributes {
  const name = MODELS[model];
  if (name === undefined) return {};
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': 'openai',
    'gen_ai.request.model': name,
  };
}

function callOf(
  model: number,
  input: number | undefined,
  startMillis: number,
): LlmCall {
  return {
    emitter: 'gen_ai',
    provider: 'openai',
    model: MODELS[model],
    operation: 'chat',
    usage:
      input === undefined
        ? undefined
        : {
            inputTokens: input,
            outputTokens: 20,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            reasoningTokens: 0,
          },
    reportedCostUsd: undefined,
    responseId: undefined,
    startTimeMillis: startMillis,
    issues: [],
  };
}

/**
 * Runs `act`; an error is logged, not thrown. A callback that starts spans
 * can make the matcher release held calls from within its own release
 * loop; neither implementation may throw then (both once threw a
 * TypeError: a held call removed under the loop).
 */
function logThrown<R>(log: unknown[], act: () => R): R | undefined {
  try {
    return act();
  } catch (error) {
    log.push(['threw', String(error)]);
    return undefined;
  }
}

function isEntry(entry: unknown, kind: string): boolean {
  return Array.isArray(entry) && entry[0] === kind;
}

function step(world: World, runs: readonly Run[], next: Op): void {
  const id = 'id' in next ? (IDS[next.id] as string) : '';
  if ('at' in next) world.clock += next.at;
  const now = T0 + world.clock;
  switch (next.kind) {
    case 'start': {
      const [scopeName, layer] = SCOPES[next.scope] as (typeof SCOPES)[0];
      const view: SpanLike = {
        name: 'chat',
        scopeName,
        traceId: `trace-${id}`,
        spanId: id,
        parentSpanId: undefined,
        startTimeMillis: now,
        attributes: attributesOf(next.model),
      };
      world.views[next.id] = view;
      world.layers[next.id] = layer;
      for (const { matcher, log } of runs) {
        logThrown(log, () => matcher.start(view, layer));
      }
      break;
    }
    case 'end': {
      const view = world.views[next.id];
      if (view === undefined) return;
      const layer = world.layers[next.id] as EmitterLayer;
      const call = callOf(next.model, next.input, view.startTimeMillis);
      world.values += 1;
      for (const { matcher, log } of runs) {
        const outcome = logThrown(log, () =>
          matcher.end(view, layer, now, call, world.values),
        );
        if (outcome === undefined) continue;
        log.push(
          outcome.kind === 'duplicate'
            ? ['end', id, 'duplicate']
            : [
                'end',
                id,
                outcome.call === call ? 'own call' : outcome.call,
                outcome.partner,
                outcome.partnerLayer,
              ],
        );
      }
      break;
    }
    case 'forget':
      for (const { matcher, log } of runs) {
        logThrown(log, () => matcher.forget(id, now));
      }
      break;
    case 'releaseAll':
      for (const { matcher, log } of runs) {
        logThrown(log, () => matcher.releaseAll());
      }
      break;
    case 'clear':
      for (const { matcher } of runs) matcher.clear();
      break;
  }
  for (const { matcher, log } of runs) {
    log.push([matcher.size, IDS.map(one => matcher.isOpen(one))]);
  }
}

/**
 * A span started from a callback (a sink that starts another LLM call
 * when one is counted): the same id, scope, time and model for both
 * matchers, kept in the world so a later step can end it.
 */
function startFromCallback(
  world: World,
  matcher: Matcher,
  value: number,
): void {
  const index = value % IDS.length;
  const id = IDS[index] as string;
  const [scopeName, layer] = SCOPES[
    value % SCOPES.length
  ] as (typeof SCOPES)[0];
  const view: SpanLike = {
    name: 'chat',
    scopeName,
    traceId: `trace-${id}`,
    spanId: id,
    parentSpanId: undefined,
    startTimeMillis: T0 + world.clock - (value % 7) * 10,
    attributes: attributesOf(value % MODELS.length),
  };
  world.views[index] = view;
  world.layers[index] = layer;
  matcher.start(view, layer);
}

function runsFor(
  preference: StackedPreference,
  maxOpenSpans: number,
  world?: World,
): readonly Run[] {
  const runs: Run[] = [];
  const options = (log: unknown[], index: number) => ({
    preference,
    maxOpenSpans,
    maxOpenMillis: 2_000,
    maxHeldMillis: 1_500,
    onRelease: (value: number) => {
      log.push(['released', value]);
      const matcher = runs[index]?.matcher;
      if (world !== undefined && matcher !== undefined && value % 2 === 0) {
        startFromCallback(world, matcher, value);
      }
    },
    onStacked: (scopes: readonly string[]) => log.push(['stacked', scopes]),
  });
  const log: unknown[] = [];
  const referenceLog: unknown[] = [];
  runs.push(
    { matcher: new StackedCalls<number>(options(log, 0)), log },
    {
      matcher: new ReferenceStackedCalls<number>(options(referenceLog, 1)),
      log: referenceLog,
    },
  );
  return runs;
}

describe('StackedCalls (last started span out of the map)', () => {
  it('answers as the map-only implementation on generated sequences', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StackedPreference>('auto', 'framework', 'client'),
        fc.integer({ min: 1, max: 6 }),
        fc.array(op, { maxLength: 60, size: 'max' }),
        (preference, maxOpenSpans, ops) => {
          const world: World = { clock: 0, views: [], layers: [], values: 0 };
          const runs = runsFor(preference, maxOpenSpans);
          for (const next of ops) step(world, runs, next);
          const [own, reference] = runs as [Run, Run];
          expect(own.log).toEqual(reference.log);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('answers as the map-only implementation when a callback starts spans', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StackedPreference>('auto', 'framework', 'client'),
        fc.integer({ min: 1, max: 6 }),
        fc.array(op, { maxLength: 60, size: 'max' }),
        (preference, maxOpenSpans, ops) => {
          const world: World = { clock: 0, views: [], layers: [], values: 0 };
          const runs = runsFor(preference, maxOpenSpans, world);
          for (const next of ops) step(world, runs, next);
          const [own, reference] = runs as [Run, Run];
          expect(own.log).toEqual(reference.log);
          expect(own.log.filter(entry => isEntry(entry, 'threw'))).toEqual([]);
          // Every held call is counted at most once.
          const released = own.log
            .filter(entry => isEntry(entry, 'released'))
            .map(entry => (entry as unknown[])[1]);
          expect(new Set(released).size).toBe(released.length);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a callback that starts spans while held calls are released throws nothing and counts each call once', () => {
    // Found by the property above (seed 7): the second span's release
    // starts a span from the callback, which releases the other held call
    // under the outer release loop (both implementations threw a TypeError).
    const world: World = { clock: 0, views: [], layers: [], values: 0 };
    const runs = runsFor('auto', 2, world);
    const steps: Op[] = [
      { kind: 'start', id: 1, scope: 0, at: 1000, model: 0 },
      { kind: 'start', id: 3, scope: 1, at: 0, model: 0 },
      { kind: 'end', id: 3, at: 0, model: 0, input: undefined },
      { kind: 'end', id: 3, at: 0, model: 0, input: undefined },
      { kind: 'start', id: 1, scope: 0, at: 0, model: 0 },
      { kind: 'start', id: 2, scope: 0, at: 0, model: 0 },
      { kind: 'end', id: 3, at: 0, model: 1, input: undefined },
    ];
    for (const next of steps) step(world, runs, next);
    const [own, reference] = runs as [Run, Run];
    expect(own.log).toEqual(reference.log);
    expect(own.log.filter(entry => isEntry(entry, 'threw'))).toEqual([]);
    const released = own.log.filter(entry => isEntry(entry, 'released'));
    expect(released.length).toBeGreaterThan(0);
    expect(new Set(released.map(entry => (entry as unknown[])[1])).size).toBe(
      released.length,
    );
  });

  it('a client call inside an open framework call is held for it, then paired', () => {
    const world: World = { clock: 0, views: [], layers: [], values: 0 };
    const runs = runsFor('auto', 10);
    const steps: Op[] = [
      { kind: 'start', id: 0, scope: 0, at: 0, model: 0 },
      { kind: 'start', id: 1, scope: 1, at: 5, model: 0 },
      { kind: 'end', id: 1, at: 100, model: 0, input: 100 },
      { kind: 'end', id: 0, at: 3, model: 0, input: 100 },
    ];
    for (const next of steps) step(world, runs, next);
    const [own, reference] = runs as [Run, Run];
    expect(own.log).toEqual(reference.log);
    // The client's end is held (duplicate for now), the framework's priced
    // with it as partner: one call counted once.
    expect(own.log).toContainEqual(['end', 'b2', 'duplicate']);
    expect(own.log).toContainEqual([
      'end',
      'a1',
      'own call',
      1,
      'instrumentation',
    ]);
  });
});
