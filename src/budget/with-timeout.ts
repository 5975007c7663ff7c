/** Thrown when a store command took longer than its timeout. */
export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

/**
 * The promise, or a rejection after `millis`: a hung store never holds a
 * check or a flush longer than that. The timer does not keep the process
 * alive.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  millis: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StoreTimeoutError(
            `budget store did not answer within ${millis} ms`,
          ),
        ),
      millis,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
