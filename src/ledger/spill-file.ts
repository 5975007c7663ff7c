import {
  appendFileSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { LedgerRow } from './ledger-row.js';

/**
 * Rows the store could not take, appended as JSON lines to a file next to
 * the database, and read back (then removed) once the store works again.
 * Replaying is idempotent: the store ignores keys it already holds, so a
 * crash between insert and removal never counts a row twice. Bounded by
 * `maxBytes`: past it, `append` refuses (the caller counts the rows lost).
 *
 * Several processes may share one spill file (two gateways on one
 * database, the default name): a replay claims the files by hard-linking
 * them to a name of its own and unlinking the shared name, so a replay
 * never removes rows another process spilled or claimed meanwhile (each
 * holds its own link; a file read twice is stored once, by key).
 */
export class SpillFile {
  readonly path: string;
  private readonly _maxBytes: number;
  private readonly _aside: string;
  private _bytes: number | undefined;
  /** Files this instance claimed and has not replayed yet. */
  private _claimed: string[] = [];

  constructor(path: string, maxBytes: number) {
    this.path = path;
    this._aside = `${path}.replay`;
    this._maxBytes = maxBytes;
  }

  /** Bytes spilled now: the file and replays left unfinished (any process's). */
  get bytes(): number {
    this._bytes ??=
      sizeOf(this.path) +
      this._replays().reduce((sum, file) => sum + sizeOf(file), 0);
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
   * The spilled rows, for replay. The spill file and any replay left
   * unfinished (`<path>.replay`, `<path>.replay.<id>`: a crash, a failed
   * store, another process) are claimed first, so rows spilled meanwhile
   * land in a new file; `done` removes the claimed files once the rows are
   * stored. Not done (the store failed, the process died), they are read
   * again next time: their rows may be stored already, and the key
   * ignores them. A line that does not parse (a torn last write) is
   * skipped and counted.
   */
  take(): SpilledRows | undefined {
    this._bytes = undefined; // Another process may have spilled or replayed.
    if (this.bytes === 0) return undefined;
    const sources = [this.path, ...this._replays()].filter(
      file => !this._claimed.includes(file),
    );
    for (const source of sources) {
      const claimed = this._claim(source);
      if (claimed !== undefined) this._claimed.push(claimed);
    }
    const rows: LedgerRow[] = [];
    let torn = 0;
    const claimed = [...this._claimed];
    for (const file of claimed) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') throw error;
        continue; // Claimed meanwhile by another process: it replays it.
      }
      for (const line of text.split('\n')) {
        if (line === '') continue;
        try {
          rows.push(JSON.parse(line) as LedgerRow);
        } catch {
          torn += 1;
        }
      }
    }
    return {
      rows,
      torn,
      done: () => {
        for (const file of claimed) removeIfPresent(file);
        this._claimed = this._claimed.filter(f => !claimed.includes(f));
        this._bytes = undefined;
      },
    };
  }

  /** Replay files present next to the spill file (ours and others'). */
  private _replays(): string[] {
    const dir = dirname(this.path);
    const name = basename(this._aside);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter(n => n === name || n.startsWith(`${name}.`))
      .map(n => join(dir, n));
  }

  /** A name of our own for `source` (hard link, then the old name removed); undefined when gone. */
  private _claim(source: string): string | undefined {
    // The plain `.replay` name when free (one process: the names stay simple).
    const targets = [
      this._aside,
      `${this._aside}.${process.pid}-${randomBytes(6).toString('hex')}`,
    ];
    for (const target of targets) {
      if (target === source) continue;
      try {
        linkSync(source, target);
      } catch (error) {
        const code = codeOf(error);
        if (code === 'ENOENT') return undefined;
        if (code === 'EEXIST') continue;
        throw error;
      }
      removeIfPresent(source);
      return target;
    }
    return undefined;
  }
}

const codeOf = (error: unknown): unknown =>
  (error as { code?: unknown } | null)?.code;

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
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
