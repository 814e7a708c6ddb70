import { Pool } from 'pg';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { describeStorageContract } from './storage-contract';

/** The real PostgreSQL on this machine (CI starts it); no in-memory imitation. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const table = `govai_test_${process.pid}`;
describeStorageContract(
  'PostgreSQL',
  async () => new PostgresStorage(TEST_DATABASE_URL, table),
  async () => {
    const pool = new Pool({ connectionString: TEST_DATABASE_URL });
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  },
);

describe('PostgreSQL storage with several instances', () => {
  const shared = `govai_test_multi_${process.pid}`;
  afterAll(async () => {
    const pool = new Pool({ connectionString: TEST_DATABASE_URL });
    await pool.query(`DROP TABLE IF EXISTS ${shared}`);
    await pool.end();
  });

  it('serialises read-modify-write from two instances so no update is lost', async () => {
    const a = new PostgresStorage(TEST_DATABASE_URL, shared);
    const b = new PostgresStorage(TEST_DATABASE_URL, shared);
    await Promise.all([a.open(), b.open()]);
    await a.write('counter', { n: 0 });
    const increment = async (store: PostgresStorage) => {
      for (;;) {
        const doc = await store.read<{ n: number }>('counter');
        try {
          await store.write('counter', { n: doc!.value.n + 1 }, { ifMatch: doc!.etag });
          return;
        } catch {
          /* conflict: another instance won, read again */
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 ? a : b)));
    expect((await a.read<{ n: number }>('counter'))?.value.n).toBe(20);
    await Promise.all([a.close(), b.close()]);
  });
});
