import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../src/ports/storage';

/**
 * The behaviour every StoragePort adapter must have. Each adapter's test file calls this
 * with a factory that returns a fresh, empty store.
 */
export function describeStorageContract(name: string, factory: () => Promise<StoragePort>, cleanup?: () => Promise<void>): void {
  describe(`${name} storage contract`, () => {
    let storage: StoragePort;

    beforeEach(async () => {
      storage = await factory();
      await storage.open();
    });

    afterEach(async () => {
      await storage.close();
      if (cleanup) await cleanup();
    });

    it('returns undefined for a missing key and the stored value after a write', async () => {
      expect(await storage.read('learner:x')).toBeUndefined();
      const etag = await storage.write('learner:x', { step: 3, name: 'Ana', tags: ['a', 'ü'] });
      const doc = await storage.read<{ step: number }>('learner:x');
      expect(doc?.value).toEqual({ step: 3, name: 'Ana', tags: ['a', 'ü'] });
      expect(doc?.etag).toBe(etag);
    });

    it('updates with the current etag and rejects a stale one (optimistic concurrency)', async () => {
      const first = await storage.write('k', { v: 1 });
      const second = await storage.write('k', { v: 2 }, { ifMatch: first });
      expect(second).not.toBe(first);
      await expect(storage.write('k', { v: 3 }, { ifMatch: first })).rejects.toBeInstanceOf(StorageConflictError);
      expect((await storage.read<{ v: number }>('k'))?.value.v).toBe(2);
    });

    it('lets exactly one of two concurrent writers with the same etag win', async () => {
      const etag = await storage.write('race', { n: 0 });
      const results = await Promise.allSettled([storage.write('race', { n: 1 }, { ifMatch: etag }), storage.write('race', { n: 2 }, { ifMatch: etag })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    });

    it('creates only when absent with CREATE_ONLY', async () => {
      await storage.write('once', { a: 1 }, { ifMatch: CREATE_ONLY });
      await expect(storage.write('once', { a: 2 }, { ifMatch: CREATE_ONLY })).rejects.toBeInstanceOf(StorageConflictError);
      expect((await storage.read<{ a: number }>('once'))?.value.a).toBe(1);
    });

    it('rejects an update of a key that does not exist', async () => {
      await expect(storage.write('ghost', { a: 1 }, { ifMatch: 'no-such-etag' })).rejects.toBeInstanceOf(StorageConflictError);
    });

    it('deletes, with and without an etag condition', async () => {
      const etag = await storage.write('d1', { a: 1 });
      await expect(storage.delete('d1', { ifMatch: 'stale' })).rejects.toBeInstanceOf(StorageConflictError);
      expect(await storage.delete('d1', { ifMatch: etag })).toBe(true);
      expect(await storage.read('d1')).toBeUndefined();
      expect(await storage.delete('d1')).toBe(false);
    });

    it('lists keys by prefix in order, with paging', async () => {
      for (const k of ['convref:b', 'convref:a', 'convref:c', 'learner:a', 'convrefx']) await storage.write(k, { k });
      expect(await storage.list('convref:')).toEqual(['convref:a', 'convref:b', 'convref:c']);
      expect(await storage.list('convref:', { limit: 2 })).toEqual(['convref:a', 'convref:b']);
      expect(await storage.list('convref:', { startAfter: 'convref:b' })).toEqual(['convref:c']);
      expect(await storage.list('nothing:')).toEqual([]);
    });

    it('lists keys with any characters after the prefix, and none that only sort next to it', async () => {
      for (const k of ['team:ß', 'team:ط', 'team:~', 'team;a', 'team9', 'teal:z']) await storage.write(k, { k });
      expect(await storage.list('team:')).toEqual(['team:~', 'team:ß', 'team:ط']);
      expect(await storage.list('team:', { startAfter: 'team:~' })).toEqual(['team:ß', 'team:ط']);
    });

    it('treats keys with SQL wildcard characters literally', async () => {
      await storage.write('a%b', { x: 1 });
      await storage.write('a_c', { x: 2 });
      await storage.write('abc', { x: 3 });
      expect(await storage.list('a%')).toEqual(['a%b']);
      expect(await storage.list('a_')).toEqual(['a_c']);
    });
  });
}
