/** Human-readable tables of one result (stdout and `latest.md`). */
import type { BenchResult } from './bench-result.js';

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number) => value.toFixed(digits);

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map(row => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(result: BenchResult): string {
  const m = result.machine;
  const sections = [
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryGb} GB, ${m.platform}, Node ${m.nodeVersion} (load ${m.loadAverage1m} at start). ` +
      `Mode: ${result.mode}, ${result.durationSeconds} s. Cost stack: metrics ${result.costStack.metrics ? 'on' : 'off'}, attribution ${result.costStack.attribution ? 'on' : 'off'}.`,
    '### Time per span (median ns; ratio and added ns are medians of per-round pairs)',
    'Floors measured in the same rounds: a processor that only writes the attributes `CostSpanProcessor` writes on that shape (write floor), and one whose hooks do nothing. "Added over floor" is `CostSpanProcessor` minus the write floor for LLM spans, minus the do-nothing processor for the others (per-round pairs).',
    table(
      [
        'workload',
        'baseline',
        '+ CostSpanProcessor',
        'ratio',
        'added',
        'write floor added',
        'do-nothing added',
        'added over floor',
        '+ BaggageSpanProcessor',
        'ratio',
        'added',
      ],
      result.spanOverhead.map(c => [
        c.label,
        int(c.baselineNsPerSpan),
        int(c.costNsPerSpan),
        fixed(c.ratio, 3),
        int(c.addedNsPerSpan),
        int(c.writeFloorAddedNsPerSpan),
        int(c.doNothingAddedNsPerSpan),
        `${int(c.addedOverFloorNsPerSpan)} (${c.floor === 'write_floor' ? 'write' : 'nothing'})`,
        int(c.peerNsPerSpan),
        fixed(c.peerRatio, 3),
        int(c.peerAddedNsPerSpan),
      ]),
    ),
    '### Price lookups (`createPricer().price(...)`)',
    table(
      ['lookup', 'ns per lookup', 'lookups per second'],
      result.priceLookups.map(c => [
        c.label,
        int(c.nsPerLookup),
        int(c.lookupsPerSecond),
      ]),
    ),
    '### Scale',
    table(
      [
        'scenario',
        'heap before',
        'heap after',
        'growth',
        'series (bound)',
        'ns per request',
      ],
      [
        [
          `${int(result.identities.users)} users, ${int(result.identities.tenants)} tenants, metrics + attribution`,
          `${result.identities.heapBeforeMb} MB`,
          `${result.identities.heapAfterMb} MB`,
          `${result.identities.heapGrowthMb} MB`,
          `${int(result.identities.seriesTotal)} (${int(result.identities.seriesBoundTotal)})`,
          int(result.identities.nsPerRequest),
        ],
      ],
    ),
    table(
      [
        'in flight',
        'heap before',
        'in flight',
        'after end',
        'retained',
        'peak entries',
        'coverage after',
        'duplicate window after',
      ],
      result.inFlight.map(c => [
        `${int(c.spans)} ${c.label}`,
        `${c.heapBeforeMb} MB`,
        `${c.heapInFlightMb} MB`,
        `${c.heapAfterMb} MB`,
        `${c.heapRetainedMb} MB`,
        int(c.peakTrackedEntries),
        int(c.coverageEntriesAfter),
        int(c.duplicateWindowEntriesAfter),
      ]),
    ),
    '### Exporter wrapper and gateway',
    `CostEnrichingSpanExporter over a no-op exporter: ${int(result.exporterWrapper.wrapperNsPerSpan)} ns per span vs ${int(result.exporterWrapper.noopNsPerSpan)} (added ${int(result.exporterWrapper.addedNsPerSpan)} ns; batches of ${result.exporterWrapper.spansPerExport} spans of the realistic mix, after ${int(result.exporterWrapper.warmUpSpans)} spans of warm-up).`,
    result.gateway.available
      ? `Gateway: \`${JSON.stringify(result.gateway.result)}\``
      : `Gateway: not measured (${result.gateway.reason}).`,
    '### Cost ledger and budgets',
    `Ledger: \`${JSON.stringify(result.ledger)}\``,
    `Budgets: \`${JSON.stringify(result.budgets)}\``,
    '### Budget',
    table(
      ['check', 'limit', 'value', 'pass'],
      result.budget.map(b => [
        b.description,
        `${b.kind === 'max' ? '<=' : '>='} ${b.limit.toLocaleString('en-US')} ${b.unit}`,
        `${b.value.toLocaleString('en-US')} ${b.unit}`,
        b.pass ? 'yes' : '**NO**',
      ]),
    ),
  ];
  return sections.join('\n\n') + '\n';
}
