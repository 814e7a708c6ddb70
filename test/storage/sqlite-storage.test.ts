import fs from 'node:fs';
import path from 'node:path';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { tempDir } from '../support/app-harness';
import { describeStorageContract } from './storage-contract';

describeStorageContract('SQLite (in memory)', async () => new SqliteStorage(':memory:'));

const dir = tempDir('govai-sqlite-');
let n = 0;
describeStorageContract('SQLite (file, WAL)', async () => new SqliteStorage(path.join(dir, `store-${++n}.sqlite`)));

describe('SQLite storage on disk', () => {
  it('keeps data across close and reopen, in WAL mode', async () => {
    const file = path.join(dir, 'persist.sqlite');
    const first = new SqliteStorage(file);
    await first.open();
    await first.write('learner:msteams:u1', { lessons: ['m1-l1'] });
    await first.close();
    expect(fs.existsSync(file)).toBe(true);
    const second = new SqliteStorage(file);
    await second.open();
    expect((await second.read<{ lessons: string[] }>('learner:msteams:u1'))?.value.lessons).toEqual(['m1-l1']);
    await second.close();
  });
});
