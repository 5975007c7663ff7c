/**
 * Compatibility re-export for the hostile-input tests (written in parallel):
 * the receiver lives in `test/helpers/otlp-receiver.ts`. Delete this file
 * once `test/gateway/hostile/*` import from there.
 */
export {
  startOtlpReceiver as startOtlpSink,
  type OtlpReceiver as OtlpSink,
  type ReceivedRequest as SinkRequest,
  type ReceiverMode as SinkMode,
} from '../../helpers/otlp-receiver.js';
