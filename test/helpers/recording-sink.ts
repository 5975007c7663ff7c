/** A `CostSink` that keeps every record and counts flushes and shutdowns. */
import type { CostRecord, CostSink } from '../../src/index.js';

export class RecordingSink implements CostSink {
  readonly records: CostRecord[] = [];
  flushes = 0;
  shutdowns = 0;
  record(record: CostRecord): void {
    this.records.push(record);
  }
  forceFlush(): Promise<void> {
    this.flushes += 1;
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.shutdowns += 1;
    return Promise.resolve();
  }
}
