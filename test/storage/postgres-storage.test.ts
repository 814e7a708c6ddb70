import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { describeStorageContract } from './storage-contract';

const contractTable = testTable('contract');
describeStorageContract(
  'PostgreSQL',
  async () => new PostgresStorage(TEST_DATABASE_URL, contractTable.name),
  () => contractTable.drop(),
);

describe('PostgreSQL storage with several instances', () => {
  const shared = testTable('multi');
  afterAll(() => shared.drop());

  it('serialises read-modify-write from two instances so no update is lost', async () => {
    const a = new PostgresStorage(TEST_DATABASE_URL, shared.name);
    const b = new PostgresStorage(TEST_DATABASE_URL, shared.name);
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
