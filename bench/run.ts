/**
 * `npm run bench` (full, ~minutes) and `npm run bench:quick` (CI smoke run,
 * seconds): the performance budget of the span processor.
 *
 *   tsx bench/run.ts [--quick] [--out <file.json>]
 *
 * Writes the result as JSON (default bench/results/latest.json, quick:
 * bench/results/quick.tmp.json) and the same tables as Markdown next to it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBudgetBench } from './budget.js';
import { runGatewayHook } from './gateway-hook.js';
import { runLedgerBench } from './ledger.js';
import { installContextManager } from './harness/context-manager.js';
import { collectGarbage } from './harness/memory.js';
import {
  validateBenchResult,
  SCHEMA_VERSION,
  type BenchResult,
} from './report/bench-result.js';
import { evaluateBudget, storeBudgetLines } from './report/budget.js';
import { describeMachine } from './report/machine.js';
import { renderMarkdown } from './report/markdown.js';
import { runExporterWrapper } from './suites/exporter-wrapper.js';
import { runInFlightSpans } from './suites/in-flight-spans.js';
import { runManyIdentities } from './suites/many-identities.js';
import { runPriceLookups } from './suites/price-lookups.js';
import { runSpanOverhead } from './suites/span-overhead.js';
import { checkShapes } from './workloads/check-shapes.js';
import { createCostStack } from './workloads/cost-stack.js';
import {
  LLM_SHAPES,
  NON_LLM_SHAPES,
  GEN_AI_CHAT_TIERED,
} from './workloads/span-shapes.js';

const FULL = {
  overhead: { rounds: 300, warmupRounds: 30, spansPerRound: 500 },
  prices: { rounds: 200, warmupRounds: 20, lookupsPerRound: 20_000 },
  identities: { users: 1_000_000, tenants: 100_000 },
  inFlightSpans: 100_000,
  exporter: {
    rounds: 200,
    warmupRounds: 20,
    tracesPerExport: 25,
    warmUpSpans: 100_000,
  },
};

const QUICK: typeof FULL = {
  overhead: { rounds: 6, warmupRounds: 2, spansPerRound: 100 },
  prices: { rounds: 4, warmupRounds: 1, lookupsPerRound: 1_000 },
  identities: { users: 5_000, tenants: 500 },
  inFlightSpans: 2_000,
  exporter: {
    rounds: 4,
    warmupRounds: 1,
    tracesPerExport: 5,
    warmUpSpans: 1_000,
  },
};

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const plan = quick ? QUICK : FULL;
  const out = resolve(
    values.out ?? `bench/results/${quick ? 'quick.tmp' : 'latest'}.json`,
  );
  const startedAt = new Date();
  const machine = describeMachine();
  installContextManager();

  const checkStack = createCostStack();
  const shapeChecks = await checkShapes(checkStack, [
    ...NON_LLM_SHAPES,
    ...LLM_SHAPES,
    GEN_AI_CHAT_TIERED,
  ]);
  await checkStack.shutdown();

  log(
    'span overhead (baseline / CostSpanProcessor / BaggageSpanProcessor, interleaved)',
  );
  const spanOverhead = await runSpanOverhead({
    ...plan.overhead,
    checks: shapeChecks,
  });
  collectGarbage();
  log('price lookups');
  const priceLookups = await runPriceLookups(plan.prices);
  collectGarbage();
  log('exporter wrapper');
  const exporterWrapper = await runExporterWrapper(plan.exporter);
  collectGarbage();
  log(`${plan.identities.users} users / ${plan.identities.tenants} tenants`);
  const identities = await runManyIdentities(plan.identities);
  collectGarbage();
  log(`${plan.inFlightSpans} spans in flight`);
  const inFlight = await runInFlightSpans(plan.inFlightSpans);
  collectGarbage();
  log('gateway');
  const gateway = await runGatewayHook(quick);
  collectGarbage();
  log('ledger (SQLite, PostgreSQL when installed)');
  // Quick mode (the CI smoke test) only checks that it runs: small sizes.
  const ledger = await runLedgerBench(
    quick,
    quick ? { calls: 5_000, reportRows: 20_000 } : {},
  );
  collectGarbage();
  log('budgets (Redis when installed)');
  const budgets = await runBudgetBench(quick);

  const parts = { spanOverhead, priceLookups, identities, inFlight };
  const result: BenchResult = {
    schemaVersion: SCHEMA_VERSION,
    mode: quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    command: quick ? 'npm run bench:quick' : 'npm run bench',
    machine,
    costStack: checkStack.features,
    shapeChecks,
    ...parts,
    exporterWrapper,
    gateway,
    ledger,
    budgets,
    budget: [...evaluateBudget(parts), ...storeBudgetLines(ledger, budgets)],
  };
  const errors = validateBenchResult(JSON.parse(JSON.stringify(result)));
  if (errors.length > 0)
    throw new Error(`malformed result: ${errors.join(', ')}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderMarkdown(result);
  writeFileSync(out.replace(/\.json$/, '') + '.md', markdown);
  process.stdout.write(markdown);
  log(`wrote ${out}`);
}

main().then(
  // Timers of the SDKs under test must not keep the process alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${String(error instanceof Error ? error.stack : error)}\n`,
    );
    process.exit(1);
  },
);
