import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { PollStore, POLL_PREFIX } from '../../src/core/facilitation/polls/poll-store';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';

describe('group poll votes on the real PostgreSQL, from two instances at once', () => {
  const table = testTable('polls');
  afterAll(() => table.drop());

  it('counts every one of 24 racing votes (eTags, read again on conflict) and stores no learner key', async () => {
    const a = new PostgresStorage(TEST_DATABASE_URL, table.name);
    const b = new PostgresStorage(TEST_DATABASE_URL, table.name);
    await Promise.all([a.open(), b.open()]);
    try {
      const now = new Date('2026-12-01T14:00:00Z');
      const poll = await new PollStore(a).create({
        id: 'pg-race',
        channelId: 'msteams',
        conversationId: '19:pilot',
        kind: 'custom',
        question: 'Q',
        options: [
          { id: '1', label: 'A' },
          { id: '2', label: 'B' },
          { id: '3', label: 'C' },
        ],
        multiple: false,
        anonymous: true,
        minVotes: 5,
        lang: 'en',
        createdAt: now.toISOString(),
      });
      const stores = [new PollStore(a), new PollStore(b)];
      await Promise.all(Array.from({ length: 24 }, (_, i) => stores[i % 2].vote('msteams', '19:pilot', poll.id, `learner:msteams:aad-m${i}`, [String((i % 3) + 1)], now)));
      const final = (await stores[1].get('msteams', '19:pilot', poll.id))!;
      expect(Object.keys(final.ballots)).toHaveLength(24);
      expect(Object.values(final.ballots).filter((c) => c[0] === '1')).toHaveLength(8);
      const [key] = await a.list(POLL_PREFIX);
      expect(JSON.stringify(await a.read(key))).not.toMatch(/aad-m\d|learner:/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
