/**
 * The machine-readable result (`bench/results/latest.json`) and the checks
 * that it is well-formed. The CI smoke test (`test/bench`) runs the same
 * checks on a `--quick` result; it asserts shape, never timings.
 */
import type { runBudgetBench } from '../budget.js';
import type { GatewayResult } from '../gateway-hook.js';
import type { runLedgerBench } from '../ledger.js';
import type { ExporterWrapperResult } from '../suites/exporter-wrapper.js';
import type { InFlightCase } from '../suites/in-flight-spans.js';
import type { ManyIdentitiesResult } from '../suites/many-identities.js';
import type { PriceLookupCase } from '../suites/price-lookups.js';
import type { SpanOverheadCase } from '../suites/span-overhead.js';
import type { ShapeCheck } from '../workloads/check-shapes.js';
import type { CostStackFeatures } from '../workloads/cost-stack.js';
import type { MachineInfo } from './machine.js';

export const SCHEMA_VERSION = 2;

export interface BudgetLine {
  readonly id: string;
  readonly description: string;
  /** `max`: value must be <= limit; `min`: value must be >= limit. */
  readonly kind: 'max' | 'min';
  readonly limit: number;
  readonly value: number;
  readonly unit: string;
  readonly pass: boolean;
}

export interface BenchResult {
  readonly schemaVersion: number;
  readonly mode: 'full' | 'quick';
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly costStack: CostStackFeatures;
  readonly shapeChecks: readonly ShapeCheck[];
  readonly spanOverhead: readonly SpanOverheadCase[];
  readonly priceLookups: readonly PriceLookupCase[];
  readonly identities: ManyIdentitiesResult;
  readonly inFlight: readonly InFlightCase[];
  readonly exporterWrapper: ExporterWrapperResult;
  readonly gateway: GatewayResult;
  /** The cost ledger: writes from the processor into SQLite and PostgreSQL, the month-by-tenant report. */
  readonly ledger: Awaited<ReturnType<typeof runLedgerBench>>;
  /** BudgetGuard on a local Redis: what recording adds to span.end(), check latency. */
  readonly budgets: Awaited<ReturnType<typeof runBudgetBench>>;
  readonly budget: readonly BudgetLine[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Problems found in a parsed result; empty when it is well-formed. */
export function validateBenchResult(value: unknown): string[] {
  const errors: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) errors.push(what);
  };
  if (!isObject(value)) return ['result is not an object'];
  need(value['schemaVersion'] === SCHEMA_VERSION, 'schemaVersion');
  need(value['mode'] === 'full' || value['mode'] === 'quick', 'mode');
  need(isNumber(value['durationSeconds']), 'durationSeconds');
  const machine = value['machine'];
  need(
    isObject(machine) &&
      typeof machine['cpuModel'] === 'string' &&
      isNumber(machine['cores']) &&
      typeof machine['nodeVersion'] === 'string',
    'machine (cpuModel, cores, nodeVersion)',
  );
  need(isObject(value['costStack']), 'costStack');
  checkCases(value['spanOverhead'], 'spanOverhead', errors, [
    'baselineNsPerSpan',
    'costNsPerSpan',
    'peerNsPerSpan',
    'ratio',
    'addedNsPerSpan',
    'peerRatio',
    'writeFloorAddedNsPerSpan',
    'doNothingAddedNsPerSpan',
    'addedOverFloorNsPerSpan',
  ]);
  const overheadIds = idsOf(value['spanOverhead']);
  for (const id of [
    'non_llm',
    'gen_ai_chat',
    'ai_sdk_v6_do_generate',
    'ai_sdk_v7_chat',
    'openinference_llm',
    'mix',
  ]) {
    need(overheadIds.includes(id), `spanOverhead case ${id}`);
  }
  checkCases(value['priceLookups'], 'priceLookups', errors, [
    'nsPerLookup',
    'lookupsPerSecond',
  ]);
  const identities = value['identities'];
  need(
    isObject(identities) &&
      isNumber(identities['heapGrowthMb']) &&
      isNumber(identities['seriesTotal']) &&
      typeof identities['seriesWithinBound'] === 'boolean',
    'identities',
  );
  checkCases(value['inFlight'], 'inFlight', errors, [
    'heapRetainedMb',
    'peakTrackedEntries',
    'coverageEntriesAfter',
  ]);
  const wrapper = value['exporterWrapper'];
  need(
    isObject(wrapper) &&
      isNumber(wrapper['wrapperNsPerSpan']) &&
      isNumber(wrapper['addedNsPerSpan']),
    'exporterWrapper',
  );
  const gateway = value['gateway'];
  need(
    isObject(gateway) && typeof gateway['available'] === 'boolean',
    'gateway',
  );
  checkCases(value['budget'], 'budget', errors, ['limit', 'value']);
  return errors;
}

function idsOf(cases: unknown): string[] {
  return Array.isArray(cases)
    ? cases.map(c => (isObject(c) ? String(c['id']) : ''))
    : [];
}

function checkCases(
  cases: unknown,
  name: string,
  errors: string[],
  numericKeys: readonly string[],
): void {
  if (!Array.isArray(cases) || cases.length === 0) {
    errors.push(`${name}: not a non-empty array`);
    return;
  }
  cases.forEach((c, i) => {
    if (!isObject(c) || typeof c['id'] !== 'string') {
      errors.push(`${name}[${i}]: no id`);
      return;
    }
    for (const key of numericKeys) {
      if (!isNumber(c[key])) errors.push(`${name}[${c['id']}].${key}`);
    }
  });
}
