/**
 * Attack: two processes sharing one spill file (two gateways on one
 * database use the same default name), their replays interleaved. Before
 * the fix, the second replay appended its rows into the first one's
 * `.replay` file, which the first then removed: the second's `done`
 * threw ENOENT (the write in progress was lost without a count) and rows
 * claimed in between could vanish. Now each replay claims the files under
 * a name of its own; generated interleavings never lose a row.
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpillFile, type SpilledRows } from '../../../src/ledger/spill-file.js';
import { rowAt } from '../postgres/pg-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'ledger-attack-spill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Step =
  | { kind: 'append'; who: 0 | 1 }
  | { kind: 'take'; who: 0 | 1 }
  | { kind: 'done'; who: 0 | 1 }
  | { kind: 'fail'; who: 0 | 1 };

const who = fc.constantFrom<0 | 1>(0, 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), who }),
  fc.record({ kind: fc.constant('take' as const), who }),
  fc.record({ kind: fc.constant('done' as const), who }),
  fc.record({ kind: fc.constant('fail' as const), who }),
);

describe('one spill file, two processes', () => {
  it('the interleaving from the bug: no throw, no row lost', () => {
    const path = join(mkdtempSync(join(root, 'case-')), 'l.db.spill.jsonl');
    const [a, b] = [new SpillFile(path, 1e9), new SpillFile(path, 1e9)];
    a.append([rowAt(1, 1_764_460_800_000)]);
    const ta = a.take() as SpilledRows;
    b.append([rowAt(2, 1_764_460_800_000)]);
    const tb = b.take() as SpilledRows;
    expect(ta.rows.map(r => r.traceId)).toContain(rowAt(1, 0).traceId);
    expect(tb.rows.map(r => r.traceId)).toContain(rowAt(2, 0).traceId);
    ta.done();
    expect(() => tb.done()).not.toThrow();
    expect(a.take()).toBeUndefined();
    expect(b.take()).toBeUndefined();
  });

  it('generated interleavings: every appended row is replayed (stored) at least once', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), steps => {
        const path = join(mkdtempSync(join(root, 'case-')), 'l.db.spill.jsonl');
        const files = [new SpillFile(path, 1e9), new SpillFile(path, 1e9)];
        const open: (SpilledRows | undefined)[] = [undefined, undefined];
        const appended = new Set<string>();
        const stored = new Set<string>();
        let n = 0;
        const finish = (i: 0 | 1): void => {
          const taken = open[i];
          if (taken === undefined) return;
          for (const row of taken.rows) stored.add(row.traceId);
          taken.done();
          open[i] = undefined;
        };
        for (const s of steps) {
          const file = files[s.who] as SpillFile;
          if (s.kind === 'append') {
            n += 1;
            const row = rowAt(n, 1_764_460_800_000);
            file.append([row]);
            appended.add(row.traceId);
          } else if (s.kind === 'take') {
            // A writer replays only after its last replay ended.
            if (open[s.who] === undefined) open[s.who] = file.take();
          } else if (s.kind === 'done') {
            finish(s.who);
          } else {
            open[s.who] = undefined; // the store failed: nothing stored, not done
          }
        }
        finish(0);
        finish(1);
        // Both recover: whatever is left is replayed.
        for (const i of [0, 1] as const) {
          open[i] = files[i]?.take();
          finish(i);
        }
        expect([...appended].filter(id => !stored.has(id))).toEqual([]);
        expect(files.map(f => f.bytes)).toEqual([0, 0]);
        expect(existsSync(path)).toBe(false);
        expect(readdirSync(join(path, '..'))).toEqual([]);
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
