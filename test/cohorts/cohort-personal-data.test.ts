import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { cohortKey, welcomeKey, type Cohort } from '../../src/core/cohorts/cohort-model';
import { cohortPersonalDataSource } from '../../src/core/cohorts/cohort-personal-data';
import { learnerKey } from '../../src/core/learner';

const member = (id: string) => ({ userId: id, name: id.toUpperCase(), email: `${id}@gov.example`, address: { id: `29:${id}` }, joinedAt: '2026-12-01T00:00:00Z' });

describe('cohort data in "my data" export and erasure', () => {
  it("exports a member's cohort membership and expert questions, and erasure removes them", async () => {
    const storage = new SqliteStorage(':memory:');
    await storage.open();
    try {
      const cohort = {
        id: 'c1',
        name: 'Pilot',
        channelId: 'msteams',
        members: { ana: member('ana'), ben: member('ben') },
        facilitators: ['fay'],
        facilitatorAddresses: {},
        facilitatorNames: { fay: 'Fay' },
      } as unknown as Cohort;
      await storage.write(cohortKey('c1'), cohort);
      await storage.write(welcomeKey('c1', 'ana'), { state: 'sent' });
      await storage.write('expert-question:ABCDE', { id: 'ABCDE', learnerKey: learnerKey('msteams', 'ana'), text: 'How?' });
      const source = cohortPersonalDataSource(storage);
      const subject = { learnerKey: learnerKey('msteams', 'ana'), channelId: 'msteams', userId: 'ana' };
      const exported = await source.export(subject);
      expect(exported).toMatchObject({
        count: 2,
        data: { memberships: [{ cohort: 'Pilot', role: 'member', name: 'ANA', email: 'ana@gov.example' }], expertQuestions: [{ id: 'ABCDE', text: 'How?' }] },
      });

      expect(await source.erase(subject)).toBe(3);
      const after = (await storage.read<Cohort>(cohortKey('c1')))!.value;
      expect(Object.keys(after.members)).toEqual(['ben']);
      expect(await storage.read(welcomeKey('c1', 'ana'))).toBeUndefined();
      expect(await storage.read('expert-question:ABCDE')).toBeUndefined();
      expect((await source.export(subject))?.count).toBe(0);
    } finally {
      await storage.close();
    }
  });
});
