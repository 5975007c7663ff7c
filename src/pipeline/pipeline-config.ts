import type { CostSink } from '../core/cost-record.js';
import type { EmittersOption } from '../core/select/emitters.js';
import type { IdentityPolicyOptions } from '../core/identity/identity-policy.js';
import type { PriceOverride } from '../core/price/price-override.js';
import type { BackendAlias } from '../outputs/open-inference-cost-aliases.js';

/**
 * Everything the evaluation pipeline needs, resolved once by the shell that
 * builds it (`option ?? env ?? default`). The processor and the exporter
 * wrapper pass their resolved options as they are; the gateway adds
 * `rewriteAllSources`.
 */
export interface PipelineConfig {
  /** Price overrides, winning over the bundled table. */
  readonly overrides: readonly PriceOverride[];
  /** Bound on exactly-once bookkeeping entries of the pipeline's own engine. */
  readonly maxTrackedSpans: number;
  /** Outputs fed with every evaluated call, through `CostPipeline.record`. */
  readonly sinks: readonly CostSink[];
  readonly identity: {
    /** Allow-list and privacy rules (the pipeline adds the e-mail warning). */
    readonly policy: Omit<
      IdentityPolicyOptions,
      'onEmailRedacted' | 'rewriteAllSources'
    >;
    /** Extra attribute sets for other backends. */
    readonly aliases: ReadonlySet<BackendAlias>;
  };
  /**
   * Write every identity source attribute back, changed or not (see
   * `scrubIdentityAttributes`): for a shell that forwards bytes it decoded
   * with another parser than the next hop's (the gateway).
   * @defaultValue false
   */
  readonly rewriteAllSources?: boolean | undefined;
  /**
   * Which layer of stacked instrumentations to trust (`EmittersOption`).
   * @defaultValue 'auto'
   */
  readonly emitters?: EmittersOption | undefined;
}

/** The processor's defaults: no overrides, no sinks, default identity rules. */
export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  overrides: [],
  maxTrackedSpans: 100_000,
  sinks: [],
  identity: { policy: {}, aliases: new Set() },
};
