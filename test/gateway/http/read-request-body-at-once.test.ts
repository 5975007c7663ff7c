/**
 * Small compressed bodies are inflated at once when their last wire byte
 * arrives; larger ones (and outputs past the at-once cap) stream through
 * the inflater. Either way the answer is zlib's: the body when it inflates
 * within --max-decompressed-bytes, 413 past it, 400 with zlib's message
 * when it does not inflate (or 413 if past the limit first); once a
 * body is read, every compressed byte reserved was given back and what
 * stays reserved is the body.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readRequestBody,
  RequestBodyError,
  type BodyHold,
} from '../../../src/gateway/http/read-request-body.js';

const MiB = 1024 * 1024;

interface Held {
  hold: BodyHold;
  body(): number;
  compressed(): number;
}

function holdCounting(): Held {
  let body = 0;
  let compressed = 0;
  return {
    hold: {
      reserve: bytes => {
        body += bytes;
        return true;
      },
      reserveCompressed: bytes => {
        compressed += bytes;
        return true;
      },
      releaseCompressed: bytes => {
        compressed -= bytes;
      },
      received: () => undefined,
    },
    body: () => body,
    compressed: () => compressed,
  };
}

/** Sends `wire` in pieces cut at `cuts`, a turn of the event loop apart. */
function sender(wire: Buffer, cuts: readonly number[]): PassThrough {
  const source = new PassThrough();
  const at = [...new Set(cuts.map(c => c % (wire.length + 1)))].sort(
    (a, b) => a - b,
  );
  void (async () => {
    let from = 0;
    for (const cut of [...at, wire.length]) {
      if (cut > from) source.write(wire.subarray(from, cut));
      from = Math.max(from, cut);
      await new Promise(resolve => setImmediate(resolve));
    }
    source.end();
  })();
  return source;
}

type Outcome =
  | { kind: 'body'; body: Buffer }
  | { kind: 'error'; status: number; message: string };

/**
 * What zlib says the answer is, as the answers that may be given: for a
 * body that does not inflate, 400 with zlib's message, or 413 when what
 * inflated before zlib stopped is past the limit (which comes first
 * depends on how the wire was cut, as it always did).
 */
function acceptable(
  wire: Buffer,
  encoding: 'gzip' | 'deflate',
  maxDecompressedBytes: number,
): Outcome[] {
  const tooLarge: Outcome = {
    kind: 'error',
    status: 413,
    message: `decompressed request body exceeds ${maxDecompressedBytes} bytes (--max-decompressed-bytes)`,
  };
  let body: Buffer;
  try {
    body = (encoding === 'gzip' ? gunzipSync : inflateSync)(wire);
  } catch (error) {
    return [
      {
        kind: 'error',
        status: 400,
        message: `invalid ${encoding} request body: ${(error as Error).message}`,
      },
      tooLarge,
    ];
  }
  return [
    body.length > maxDecompressedBytes ? tooLarge : { kind: 'body', body },
  ];
}

async function outcomeOf(read: Promise<Buffer>): Promise<Outcome> {
  try {
    return { kind: 'body', body: await read };
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    return { kind: 'error', status: error.status, message: error.message };
  }
}

const payload = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map(b => Buffer.from(b)),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.nat(40_000))
    .map(([unit, times]) => Buffer.from(unit.repeat(times))),
  // Noise that does not compress: past the at-once wire size, streamed.
  fc.tuple(fc.integer(), fc.nat(400_000)).map(([seed, length]) => {
    const bytes = Buffer.alloc(length);
    let state = seed >>> 0;
    for (let i = 0; i < length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bytes[i] = state >>> 24;
    }
    return bytes;
  }),
);

describe('readRequestBody, compressed bodies', () => {
  it("answers zlib's answer for any body, cut anywhere, within or past the limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        payload,
        fc.constantFrom('gzip' as const, 'deflate' as const),
        fc.oneof(
          fc.constant('intact'),
          fc.constant('truncated'),
          fc.constant('garbage'),
          fc.constant('trailing'),
        ),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.integer({ min: -2, max: 2 }),
        async (bytes, encoding, damage, cuts, slack) => {
          const good = (encoding === 'gzip' ? gzipSync : deflateSync)(bytes);
          const wire =
            damage === 'truncated'
              ? good.subarray(0, Math.max(0, good.length - 3))
              : damage === 'garbage'
                ? Buffer.concat([Buffer.from('not zlib'), good])
                : damage === 'trailing'
                  ? Buffer.concat([good, Buffer.from([1, 2, 3])])
                  : good;
          const maxDecompressedBytes = Math.max(1, bytes.length + slack);
          const held = holdCounting();
          const read = readRequestBody(
            sender(wire, cuts) as unknown as IncomingMessage,
            encoding,
            { maxBodyBytes: 4 * MiB, maxDecompressedBytes },
            held.hold,
          );
          const outcome = await outcomeOf(read);
          const answers = acceptable(wire, encoding, maxDecompressedBytes);
          expect(answers).toContainEqual(outcome);
          const [expected] = answers;
          if (answers.length === 1 && expected?.kind === 'body') {
            // Inflated: every compressed byte given back, the body held.
            // (On an error the request's ticket gives back all at once.)
            expect(held.compressed()).toBe(0);
            expect(held.body()).toBe(expected.body.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a small wire body past the at-once output cap streams and is read whole', async () => {
    const bytes = Buffer.alloc(9 * MiB, 0x61);
    const wire = gzipSync(bytes);
    expect(wire.length).toBeLessThan(64 * 1024);
    const held = holdCounting();
    const body = await readRequestBody(
      sender(wire, [100]) as unknown as IncomingMessage,
      'gzip',
      { maxBodyBytes: MiB, maxDecompressedBytes: 16 * MiB },
      held.hold,
    );
    expect(body.equals(bytes)).toBe(true);
    expect(held.compressed()).toBe(0);
    expect(held.body()).toBe(bytes.length);
  });

  it('a small wire body past the limit is a 413, holding no more than the limit', async () => {
    const wire = gzipSync(Buffer.alloc(3 * MiB, 0x61));
    const held = holdCounting();
    const outcome = await outcomeOf(
      readRequestBody(
        sender(wire, []) as unknown as IncomingMessage,
        'gzip',
        { maxBodyBytes: MiB, maxDecompressedBytes: 2 * MiB },
        held.hold,
      ),
    );
    expect([outcome]).toEqual(acceptable(wire, 'gzip', 2 * MiB));
    expect(held.body()).toBeLessThanOrEqual(2 * MiB);
  });
});
