import type { AppConfig } from '../config/config';
import type { StoragePort } from '../ports/storage';
import { PostgresStorage } from '../adapters/storage/postgres-storage';
import { SqliteStorage } from '../adapters/storage/sqlite-storage';

export function createStorage(config: AppConfig): StoragePort {
  return config.STORAGE === 'postgres' ? new PostgresStorage(config.DATABASE_URL!) : new SqliteStorage(config.paths.sqlite);
}
