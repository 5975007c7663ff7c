/** A gateway on an ephemeral port forwarding to a local sink, closed after each test. */
import type { CostRecord, CostSink } from '../../../src/core/cost-record.js';
import {
  startGateway,
  type RunningGateway,
} from '../../../src/gateway/cost-gateway.js';
import type { GatewayOptions } from '../../../src/gateway/gateway-options.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver.js';
import { referenceDecode, type ComparableSpan } from './reference-decoder.js';

export interface GatewayFixture {
  readonly gateway: RunningGateway;
  readonly sink: OtlpReceiver;
  /** Every call the gateway counted (its `CostSink` output). */
  readonly records: CostRecord[];
  /** Spans the sink accepted, decoded independently, in arrival order. */
  forwardedSpans(): ComparableSpan[];
  close(): Promise<void>;
}

export async function startGatewayFixture(
  options: Partial<GatewayOptions> = {},
): Promise<GatewayFixture> {
  const sink = await startOtlpReceiver();
  const records: CostRecord[] = [];
  const recorder: CostSink = { record: record => records.push(record) };
  const gateway = await startGateway({
    listen: { host: '127.0.0.1', port: 0 },
    forward: new URL(sink.url),
    retryAfterSeconds: 1,
    env: {},
    ...options,
    sinks: [recorder, ...(options.sinks ?? [])],
  });
  return {
    gateway,
    sink,
    records,
    forwardedSpans: () =>
      sink.accepted.flatMap(request => referenceDecode(request.body)),
    async close() {
      await gateway.shutdown();
      await sink.close();
    },
  };
}
