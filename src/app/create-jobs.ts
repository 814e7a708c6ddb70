import type { AppConfig } from '../config/config';
import type { JobPort } from '../ports/jobs';
import { PostgresJobs } from '../adapters/jobs/postgres-jobs';
import { SqliteJobs } from '../adapters/jobs/sqlite-jobs';

/** The job queue beside the configured store: a `govai_jobs` table on PostgreSQL, a `jobs` table in the SQLite file. */
export function createJobs(config: AppConfig): JobPort {
  if (config.STORAGE === 'postgres') return new PostgresJobs(config.DATABASE_URL!, 'govai_jobs');
  return new SqliteJobs(config.paths.sqlite);
}
