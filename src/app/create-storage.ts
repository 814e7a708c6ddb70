import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { StoragePort } from '../ports/storage';
import { PostgresStorage } from '../adapters/storage/postgres-storage';
import { SqliteStorage } from '../adapters/storage/sqlite-storage';

/** The configured store; `table` lets tests and side-by-side deployments use their own PostgreSQL table. */
export function createStorage(config: AppConfig, options: { logger?: Logger; table?: string } = {}): StoragePort {
  if (config.STORAGE !== 'postgres') return new SqliteStorage(config.paths.sqlite);
  return new PostgresStorage(config.DATABASE_URL!, {
    table: options.table,
    poolMax: config.DATABASE_POOL_MAX,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
    logger: options.logger,
  });
}
