import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { LedgerRow } from './ledger-row.js';

/**
 * Rows the store could not take, appended as JSON lines to a file next to
 * the database, and read back (then removed) once the store works again.
 * Replaying is idempotent: the store ignores keys it already holds, so a
 * crash between insert and removal never counts a row twice. Bounded by
 * `maxBytes`: past it, `append` refuses (the caller counts the rows lost).
 */
export class SpillFile {
  readonly path: string;
  private readonly _maxBytes: number;
  private readonly _aside: string;
  private _bytes: number | undefined;

  constructor(path: string, maxBytes: number) {
    this.path = path;
    this._aside = `${path}.replay`;
    this._maxBytes = maxBytes;
  }

  /** Bytes spilled now: the file and a replay left unfinished. */
  get bytes(): number {
    this._bytes ??= sizeOf(this.path) + sizeOf(this._aside);
    return this._bytes;
  }

  /** Appends the rows; false when the file would pass its bound. Throws on I/O errors. */
  append(rows: readonly LedgerRow[]): boolean {
    if (rows.length === 0) return true;
    const text = rows.map(row => JSON.stringify(row)).join('\n') + '\n';
    const size = Buffer.byteLength(text);
    if (this.bytes + size > this._maxBytes) return false;
    // The database folder may not exist yet (the store never opened).
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, text, { mode: 0o600 });
    this._bytes = this.bytes + size;
    return true;
  }

  /**
   * The spilled rows, for replay. They move to `<path>.replay` first, so
   * rows spilled meanwhile land in a new file; `done` removes it once the
   * rows are stored. Not done (the store failed, the process died), the
   * replay file is read again next time: its rows may be stored already,
   * and the key ignores them. A line that does not parse (a torn last
   * write) is skipped and counted.
   */
  take(): SpilledRows | undefined {
    if (this.bytes === 0) return undefined;
    if (sizeOf(this.path) > 0) {
      appendFileSync(this._aside, readFileSync(this.path), { mode: 0o600 });
      unlinkSync(this.path);
    }
    const text = readFileSync(this._aside, 'utf8');
    const rows: LedgerRow[] = [];
    let torn = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        rows.push(JSON.parse(line) as LedgerRow);
      } catch {
        torn += 1;
      }
    }
    return {
      rows,
      torn,
      done: () => {
        unlinkSync(this._aside);
        this._bytes = undefined;
      },
    };
  }
}

function sizeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

export interface SpilledRows {
  readonly rows: readonly LedgerRow[];
  /** Lines that did not parse (skipped). */
  readonly torn: number;
  /** The rows were stored: the replay file goes. */
  done(): void;
}
