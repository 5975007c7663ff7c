/**
 * A mock model method that answers with `results` in order, one per call,
 * and fails loudly when called more often than planned (so a test never
 * silently prices an extra call).
 */
export function inSequence<R>(...results: readonly R[]): () => Promise<R> {
  let index = 0;
  return () => {
    const result = results[index];
    index += 1;
    if (result === undefined) {
      return Promise.reject(
        new Error(
          `mock called ${index} times, only ${results.length} answers planned`,
        ),
      );
    }
    return Promise.resolve(result);
  };
}
