/**
 * Headless Chromium for the report page tests (Debian's `chromium`): the
 * page loaded from a file with the network off (`--no-proxy-server`, every
 * host mapped nowhere), its rendered DOM (`--dump-dom`) or a screenshot at
 * a fixed window size. Without the binary the tests skip with one line (a
 * failure under OTEL_GENAI_COST_REQUIRE_SERVICES=1).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { serviceBinary } from './service-binary.js';

export function chromiumBinary(): string | undefined {
  return serviceBinary({
    name: 'chromium',
    debianPackage: 'chromium',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  });
}

function run(binary: string, args: readonly string[]): Promise<string> {
  // A profile of its own each time: runs never share state.
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  return new Promise<string>((resolve, reject) => {
    execFile(
      binary,
      [
        '--headless',
        '--no-sandbox', // root in containers
        '--disable-gpu',
        '--no-proxy-server',
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--no-first-run',
        '--disable-extensions',
        '--disable-background-networking',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout) => (error === null ? resolve(stdout) : reject(error)),
    );
  }).finally(() => rmSync(profile, { recursive: true, force: true }));
}

/** The DOM after the page rendered. */
export function dumpDom(binary: string, file: string): Promise<string> {
  return run(binary, ['--dump-dom', pathToFileURL(file).href]);
}

/** A PNG screenshot of the page in a `width` x `height` window. */
export async function screenshot(
  binary: string,
  file: string,
  out: string,
  width: number,
  height: number,
): Promise<void> {
  await run(binary, [
    `--window-size=${width},${height}`,
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--screenshot=${out}`,
    pathToFileURL(file).href,
  ]);
}

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  readonly rgba: Uint8Array;
}

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) with node:zlib. */
export function decodePng(bytes: Buffer): DecodedPng {
  if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') {
    throw new Error('not a PNG');
  }
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) {
        throw new Error(`unsupported PNG (depth ${depth}, colour ${colour})`);
      }
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const current = new Uint8Array(stride);
    for (let x = 0; x < stride; x += 1) {
      const a = x >= channels ? (current[x - channels] as number) : 0;
      const b = previous[x] as number;
      const c = x >= channels ? (previous[x - channels] as number) : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor =
        filter === 0
          ? 0
          : filter === 1
            ? a
            : filter === 2
              ? b
              : filter === 3
                ? (a + b) >> 1
                : pa <= pb && pa <= pc
                  ? a
                  : pb <= pc
                    ? b
                    : c;
      current[x] = ((line[x] as number) + predictor) & 0xff;
    }
    for (let x = 0; x < width; x += 1) {
      for (let k = 0; k < 4; k += 1) {
        out[(y * width + x) * 4 + k] =
          k < channels ? (current[x * channels + k] as number) : 255;
      }
    }
    previous = current;
  }
  return { width, height, rgba: out };
}

/** Reads and decodes a PNG file. */
export function readPng(path: string): DecodedPng {
  return decodePng(readFileSync(path));
}
