import { CodedError } from '../errors/coded-error';

/**
 * Storage port for learner data and bot state: a key-value store of JSON documents with
 * optimistic concurrency. Every adapter (SQLite now, PostgreSQL for several instances)
 * passes the same contract tests in test/storage/storage-contract.ts.
 */
export interface StoredDocument<T> {
  value: T;
  /** Opaque version tag; pass it back to `write` to update only if nobody else has. */
  etag: string;
}

export interface WriteOptions {
  /**
   * Concurrency condition: an etag from `read` (update only that version), `"*new"` (create
   * only if absent), or undefined (last writer wins).
   */
  ifMatch?: string;
}

export const CREATE_ONLY = '*new';

export interface StoragePort {
  /** Opens connections and creates tables; idempotent. */
  open(): Promise<void>;
  read<T>(key: string): Promise<StoredDocument<T> | undefined>;
  /** Returns the new etag. Throws StorageConflictError when `ifMatch` does not hold. */
  write<T>(key: string, value: T, options?: WriteOptions): Promise<string>;
  /** Returns true when something was deleted. Throws StorageConflictError when `ifMatch` does not hold. */
  delete(key: string, options?: WriteOptions): Promise<boolean>;
  /** Keys starting with `prefix`, sorted, at most `limit` (default 1000), after `startAfter`. */
  list(prefix: string, options?: { limit?: number; startAfter?: string }): Promise<string[]>;
  /** Health check for readiness probes: resolves when the store answers, else throws StorageUnavailableError. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class StorageConflictError extends CodedError {
  constructor(readonly key: string) {
    super('storage_conflict', `Storage conflict on "${key}": the document changed since it was read`);
  }
}

export class StorageError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('storage_error', message, options);
  }
}

/** The store did not answer (unreachable, timed out, connection lost): the operation may be retried later. */
export class StorageUnavailableError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('storage_unavailable', message, options);
  }
}
