/**
 * The writer replaces an updated attribute wherever its key bytes read as
 * the pipeline read them: keys are matched without decoding when their
 * length rules them out, and decoded when they are not ASCII (bytes that
 * are not UTF-8 read as U+FFFD, which changes the length). A key that is
 * not valid UTF-8 must not let a raw e-mail address through next to its
 * rewritten value.
 */
import { describe, expect, it } from 'vitest';
import { scanExportTraceRequest } from '../../../src/gateway/otlp/scan-export-trace-request.js';
import { writeExportTraceRequest } from '../../../src/gateway/otlp/write-export-trace-request.js';
import { RequestEnricher } from '../../../src/gateway/pipeline/request-enricher.js';
import { createCostPipeline } from '../../../src/pipeline/cost-pipeline.js';
import { ld, requestOf, tinySpan } from '../helpers/hostile-bodies.js';
import { referenceDecode } from '../helpers/reference-decoder.js';

const EMAIL = 'alice@example.com';
const kv = (key: Buffer, value: string): Buffer =>
  ld(0x4a, ld(0x0a, key), ld(0x12, ld(0x0a, Buffer.from(value))));

function forwarded(...attributes: Buffer[]): Buffer {
  const enricher = new RequestEnricher({
    pipeline: createCostPipeline({
      overrides: [],
      maxTrackedSpans: 8,
      sinks: [],
      identity: { policy: { hmacSecret: 'writer-secret' }, aliases: new Set() },
      rewriteAllSources: true,
    }),
    traceWindowMillis: 60_000,
    maxTraces: 10,
  });
  const scanned = scanExportTraceRequest(requestOf(tinySpan(...attributes)));
  enricher.enrich(scanned, Date.now());
  return Buffer.from(writeExportTraceRequest(scanned));
}

describe('writing updated attributes', () => {
  it('replaces an identity key that is not valid UTF-8, no raw e-mail left', () => {
    const key = Buffer.concat([Buffer.from('app.tag.'), Buffer.from([0xff])]);
    const out = forwarded(kv(key, EMAIL), kv(Buffer.from('user.id'), EMAIL));
    expect(out.includes(Buffer.from(EMAIL))).toBe(false);
    const [span] = referenceDecode(out);
    expect(Object.keys(span?.attributes ?? {}).sort()).toEqual(
      ['app.tag.\ufffd', 'user.id'].sort(),
    );
  });

  it('replaces a key sent twice in one KeyValue by its last spelling', () => {
    const twice = ld(
      0x4a,
      ld(0x0a, Buffer.from('http.route')),
      ld(0x0a, Buffer.from('user.id')),
      ld(0x12, ld(0x0a, Buffer.from(EMAIL))),
    );
    const out = forwarded(twice, kv(Buffer.from('http.route'), '/x'));
    expect(out.includes(Buffer.from(EMAIL))).toBe(false);
    expect(out.includes(Buffer.from('/x'))).toBe(true);
  });
});
