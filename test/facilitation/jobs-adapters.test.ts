import fs from 'node:fs';
import path from 'node:path';
import { PostgresJobs } from '../../src/adapters/jobs/postgres-jobs';
import { SqliteJobs } from '../../src/adapters/jobs/sqlite-jobs';
import { tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { describeJobsContract } from './jobs-contract';

const table = testTable('jobs_contract');
describeJobsContract(
  'PostgreSQL',
  async () => new PostgresJobs(TEST_DATABASE_URL, table.name),
  () => table.drop(),
);

const dir = tempDir('govai-jobs-');
describeJobsContract(
  'SQLite',
  async () => new SqliteJobs(path.join(dir, 'bot.sqlite')),
  async () => fs.rmSync(dir, { recursive: true, force: true }),
);
