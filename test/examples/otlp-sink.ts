/**
 * Compatibility adapter for the example and demo tests (edited in parallel):
 * the receiver lives in `test/helpers/otlp-receiver.ts`; here `url` is its
 * origin (`http://127.0.0.1:<port>`), as these tests append their own paths.
 * Delete this file once they use `startOtlpReceiver()` and `origin`.
 */
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedRequest,
} from '../helpers/otlp-receiver.js';

export type ReceivedExport = ReceivedRequest;
export type OtlpSink = Omit<OtlpReceiver, 'url'> & { readonly url: string };

export async function startOtlpSink(): Promise<OtlpSink> {
  const receiver = await startOtlpReceiver();
  return Object.assign(Object.create(receiver) as OtlpReceiver, {
    url: receiver.origin,
  });
}
