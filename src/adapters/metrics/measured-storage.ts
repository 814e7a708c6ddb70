import type { MetricsPort } from '../../ports/metrics';
import type { StoragePort } from '../../ports/storage';

/**
 * The same storage, counting failed calls by operation. A conflict is the normal signal of
 * optimistic concurrency (the caller retries), not an error, so it is not counted. A Proxy
 * keeps every method of the port, including ones added later, without listing them here.
 */
export function withStorageMetrics<T extends StoragePort>(storage: T, metrics: MetricsPort): T {
  return new Proxy(storage, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        try {
          const result = value.apply(target, args);
          return result instanceof Promise ? result.catch((err: unknown) => countAndRethrow(metrics, property, err)) : result;
        } catch (err) {
          return countAndRethrow(metrics, property, err);
        }
      };
    },
  });
}

function countAndRethrow(metrics: MetricsPort, operation: string, err: unknown): never {
  if ((err as { code?: unknown } | undefined)?.code !== 'storage_conflict') metrics.storageError(operation);
  throw err;
}
