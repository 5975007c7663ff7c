/** Plain-text tables for the demo's per-user and per-tenant spend. */
import type { SpanLedger, TenantTotals, UserTotals } from './span-ledger.js';

export function formatReport(
  ledger: SpanLedger,
  options: { readonly topUsers: number },
): string {
  // Ties broken by id, so the same seed always prints the same tables.
  const users = ledger
    .users()
    .sort((a, b) => b.costUsd - a.costUsd || a.userId.localeCompare(b.userId));
  const tenants = ledger
    .tenants()
    .sort(
      (a, b) => b.costUsd - a.costUsd || a.tenantId.localeCompare(b.tenantId),
    );
  const total = ledger.totals;
  const shown = users.slice(0, options.topUsers);
  const lines = [
    `Per user (from span attributes user.id + gen_ai.usage.cost; top ${shown.length} of ${users.length} by spend)`,
    table(
      ['user', 'tenant', 'spend', 'calls', 'tokens', 'last seen', 'top model'],
      shown.map(userRow),
    ),
    '',
    `Per tenant (${tenants.length} tenants)`,
    table(
      [
        'tenant',
        'plan',
        'users',
        'calls',
        'unpriced',
        'tokens',
        'spend',
        'share',
      ],
      tenants.map(tenant => tenantRow(tenant, total.costUsd)),
    ),
    '',
    `Total: ${usd(total.costUsd)} over ${total.calls} LLM calls (${total.unpricedCalls} unpriced: unknown model, counted but never priced at $0)`,
  ];
  return lines.join('\n');
}

function userRow(user: UserTotals): string[] {
  let topModel = '-';
  let topCost = -1;
  for (const [model, cost] of [...user.costByModel].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (cost > topCost) [topModel, topCost] = [model, cost];
  }
  return [
    user.userId,
    user.tenantId,
    usd(user.costUsd),
    String(user.calls),
    String(user.tokens),
    new Date(user.lastSeenMillis).toISOString().slice(11, 23),
    topModel,
  ];
}

function tenantRow(tenant: TenantTotals, totalUsd: number): string[] {
  const share = totalUsd > 0 ? (100 * tenant.costUsd) / totalUsd : 0;
  return [
    tenant.tenantId,
    tenant.plan,
    String(tenant.users.size),
    String(tenant.calls),
    String(tenant.unpricedCalls),
    String(tenant.tokens),
    usd(tenant.costUsd),
    `${share.toFixed(1)}%`,
  ];
}

function usd(value: number): string {
  return `$${value.toFixed(6)}`;
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map(row => (row[column] ?? '').length)),
  );
  const numeric = (column: number) =>
    column > 1 && !header[column]?.includes('model');
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric(column)
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map(width => '-'.repeat(width))),
    ...rows.map(line),
  ].join('\n');
}
