/** OTLP/JSON spans scanned the way the gateway scans a JSON request, for pipeline tests without HTTP. */
import { decodeExportTraceRequest } from '../../../src/gateway/otlp/decode-export-trace-request.js';
import { encodeExportTraceRequest } from '../../../src/gateway/otlp/encode-export-trace-request.js';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import type {
  ScannedRequest,
  ScannedSpan,
} from '../../../src/gateway/otlp/scanned-request.js';
import { otlpJson, type JsonSpanSpec } from '../helpers/otlp-json.js';

/** The request as the gateway scans it (JSON converted to protobuf first). */
export function scannedJson(spans: readonly JsonSpanSpec[]): ScannedRequest {
  return scanExportTraceRequest(
    encodeExportTraceRequest(decodeExportTraceRequest(otlpJson(spans), 'json')),
  );
}

/** Every span of the request, in request order. */
export function scannedSpans(request: ScannedRequest): ScannedSpan[] {
  return request.resources.flatMap(resource =>
    resource.scopes.flatMap(scope => [...scope.spans]),
  );
}
