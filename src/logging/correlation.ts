import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the work in progress (an HTTP request and the turn and replies it
 * causes, or one pass of a background job), carried through every await by AsyncLocalStorage
 * so each log line of that work carries it without passing it around by hand.
 */
const current = new AsyncLocalStorage<string>();

/**
 * 12 hex characters: short enough to read out to a helpdesk, unique enough for a day of logs.
 * The random ones before a v4 UUID's version digit: randomUUID draws from a buffered pool, where
 * randomBytes makes a system call for every request.
 */
export function newCorrelationId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13);
}

export function withCorrelation<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

export function currentCorrelationId(): string | undefined {
  return current.getStore();
}

/** An id a caller sent (a proxy's X-Request-Id) when it is safe to log and echo back, else undefined. */
export function acceptedCorrelationId(header: unknown): string | undefined {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : undefined;
}
