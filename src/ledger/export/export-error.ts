/**
 * A billing export that cannot run or stopped: a bad period, a missing
 * mapping, a destination that refused an event. The message names what
 * to fix and never repeats an API key.
 */
export class ExportError extends Error {
  override name = 'ExportError';
}
