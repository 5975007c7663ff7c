/**
 * A span exporter that keeps per-user and per-tenant totals from the
 * attributes `CostSpanProcessor` wrote (`gen_ai.usage.cost`, `user.id`,
 * `tenant.id`, `app.plan`): what a trace backend would add up. The demo
 * reports from its cost ledger; these totals are kept to check the ledger
 * against the spans (the tests do). Memory grows with distinct users, not
 * with traffic.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_APP_PLAN,
  ATTR_COST,
  ATTR_COST_SOURCE,
  ATTR_TENANT_ID,
  ATTR_USER_ID,
} from 'otel-genai-cost/semconv';

// GenAI semantic-convention names (still incubating upstream, so copied here
// as OpenTelemetry recommends rather than imported from `.../incubating`).
const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';

export interface Totals {
  costUsd: number;
  calls: number;
  unpricedCalls: number;
  tokens: number;
}

export interface UserTotals extends Totals {
  readonly userId: string;
  readonly tenantId: string;
  readonly plan: string;
  lastSeenMillis: number;
  readonly costByModel: Map<string, number>;
}

export interface TenantTotals extends Totals {
  readonly tenantId: string;
  readonly plan: string;
  readonly users: Set<string>;
}

export const UNATTRIBUTED = '(unattributed)';

export class SpanLedger implements SpanExporter {
  private readonly _users = new Map<string, UserTotals>();
  private readonly _tenants = new Map<string, TenantTotals>();
  readonly totals: Totals = {
    costUsd: 0,
    calls: 0,
    unpricedCalls: 0,
    tokens: 0,
  };

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this._add(span);
    done({ code: ExportResultCode.SUCCESS });
  }

  users(): UserTotals[] {
    return [...this._users.values()];
  }

  tenants(): TenantTotals[] {
    return [...this._tenants.values()];
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  private _add(span: ReadableSpan): void {
    const attributes = span.attributes;
    const source = attributes[ATTR_COST_SOURCE];
    if (source === undefined) return; // not an LLM call, or a wrapper
    const cost = attributes[ATTR_COST];
    const costUsd = typeof cost === 'number' ? cost : 0;
    const unpriced = source === 'unpriced' ? 1 : 0;
    const tokens =
      numberOf(attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]) +
      numberOf(attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]);
    const userId = stringOf(attributes[ATTR_USER_ID]) ?? UNATTRIBUTED;
    const tenantId = stringOf(attributes[ATTR_TENANT_ID]) ?? UNATTRIBUTED;
    const plan = stringOf(attributes[ATTR_APP_PLAN]) ?? '-';
    const model =
      stringOf(attributes[ATTR_GEN_AI_RESPONSE_MODEL]) ??
      stringOf(attributes[ATTR_GEN_AI_REQUEST_MODEL]) ??
      '?';
    const endMillis = span.endTime[0] * 1000 + span.endTime[1] / 1e6;

    let user = this._users.get(userId);
    if (user === undefined) {
      user = {
        userId,
        tenantId,
        plan,
        ...zero(),
        lastSeenMillis: 0,
        costByModel: new Map(),
      };
      this._users.set(userId, user);
    }
    let tenant = this._tenants.get(tenantId);
    if (tenant === undefined) {
      tenant = { tenantId, plan, ...zero(), users: new Set() };
      this._tenants.set(tenantId, tenant);
    }
    for (const totals of [user, tenant, this.totals]) {
      totals.costUsd += costUsd;
      totals.calls += 1;
      totals.unpricedCalls += unpriced;
      totals.tokens += tokens;
    }
    user.lastSeenMillis = Math.max(user.lastSeenMillis, endMillis);
    user.costByModel.set(model, (user.costByModel.get(model) ?? 0) + costUsd);
    tenant.users.add(userId);
  }
}

function zero(): Totals {
  return { costUsd: 0, calls: 0, unpricedCalls: 0, tokens: 0 };
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
