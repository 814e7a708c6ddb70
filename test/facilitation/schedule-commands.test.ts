import { SqliteJobs } from '../../src/adapters/jobs/sqlite-jobs';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { Coach } from '../../src/core/coach';
import { cohortKey, conversationCohortKey, type Cohort } from '../../src/core/cohorts/cohort-model';
import { weeklyPlan } from '../../src/core/cohorts/cohort-plan';
import { FacilitatorRoles } from '../../src/core/cohorts/facilitator-roles';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerDiscussionSchedule } from '../../src/core/facilitation/schedule/register-schedule';
import type { TurnInput } from '../../src/core/turn';
import { localizer, realCatalog, silentLogger } from '../course/harness';

// Tuesday 1 December 2026; the cohort starts on Monday 7 December, one module a week.
const NOW = new Date('2026-12-01T12:00:00Z');

async function setup() {
  const storage = new SqliteStorage(':memory:');
  const jobs = new SqliteJobs(':memory:');
  await Promise.all([storage.open(), jobs.open()]);
  const catalog = await realCatalog();
  const loc = await localizer();
  const registry = new CommandRegistry(loc);
  registerDiscussionSchedule(registry, { jobs, storage, roles: new FacilitatorRoles(['configured-fay']), catalog });
  const coach = new Coach({ storage, localizer: loc, registry, logger: silentLogger, defaultLanguage: 'en' });
  const cohort: Cohort = {
    id: 'c1',
    name: 'Pilot',
    channelId: 'msteams',
    conversationId: '19:cohort',
    createdAt: NOW.toISOString(),
    facilitators: ['cohort-lead'],
    facilitatorAddresses: {},
    facilitatorNames: {},
    startDate: '2026-12-07',
    dueDate: '2027-01-18',
    timeZone: 'Europe/Lisbon',
    language: 'en',
    plan: weeklyPlan(catalog.get('en'), '2026-12-07'),
    members: {},
    skipped: { bots: 0, guests: 0 },
    updatedAt: NOW.toISOString(),
  };
  await storage.write(cohortKey('c1'), cohort);
  await storage.write(conversationCohortKey('msteams', '19:cohort'), { cohortId: 'c1' });
  const say = async (userId: string, text: string, input: Partial<TurnInput> = {}) =>
    (await coach.handle({ channelId: 'msteams', userId, conversationId: '19:cohort;messageid=17', scope: 'channel', locale: 'en-US', text, now: NOW, ...input })).replies;
  return { say, jobs, catalog };
}

describe('schedule commands', () => {
  it('schedules each module’s discussion on the Wednesday of its week in the cohort plan, once', async () => {
    const { say, jobs, catalog } = await setup();
    const [reply] = await say('cohort-lead', 'schedule discussions wednesday 10:00');
    expect(reply.text).toContain(`Scheduled ${catalog.get('en').modules.length} discussion prompts`);
    const planned = await jobs.pending('msteams:19:cohort');
    expect(planned.map((j) => j.runAt)).toEqual(catalog.get('en').modules.map((_, i) => new Date(Date.UTC(2026, 11, 9 + 7 * i, 10)).toISOString()));
    expect(planned.map((j) => j.payload.moduleId)).toEqual(catalog.get('en').modules.map((m) => m.id));
    expect(reply.items).toHaveLength(planned.length);
    expect(reply.items?.[0].action).toEqual(expect.objectContaining({ command: 'schedule.cancel', args: { id: planned[0].id } }));
    // The same plan typed again in Spanish schedules nothing twice.
    await say('cohort-lead', 'programar debates miércoles 10:00', { locale: 'es-ES' });
    expect(await jobs.pending('msteams:19:cohort')).toHaveLength(planned.length);
  });

  it('reads times in the facilitator’s own time zone, in any course language', async () => {
    const { say, jobs } = await setup();
    const [reply] = await say('configured-fay', 'جدولة نقاش 2 الاثنين 10:00', { locale: 'ar', timezone: 'Asia/Riyadh' });
    expect(reply.lang).toBe('ar');
    expect(reply.text).toContain('تمت الجدولة');
    const [job] = await jobs.pending('msteams:19:cohort');
    expect(job).toMatchObject({ runAt: '2026-12-07T07:00:00.000Z', payload: { moduleId: 'm2', timeZone: 'Asia/Riyadh', lang: 'ar' } });
  });

  it('answers plainly: not a facilitator, personal chat, no cohort for pacing, unknown module, bad or past time, cancel', async () => {
    const { say, jobs } = await setup();
    expect((await say('someone', 'schedule discuss 2 monday 10:00'))[0].text).toBe('Only the course facilitators can schedule or cancel discussion prompts.');
    expect((await say('someone', 'programmer discussion 2 lundi 10h00', { locale: 'fr-FR' }))[0].text).toBe('Seuls les animateurs du cours peuvent programmer ou annuler des questions de discussion.');
    expect((await say('configured-fay', 'schedule discuss 2 monday 10:00', { scope: 'personal', conversationId: 'a:1' }))[0].text).toMatch(/^Schedule discussions in the channel or group chat/);
    expect((await say('configured-fay', 'schedule discussions wednesday 10:00', { conversationId: '19:other' }))[0].text).toMatch(/^This channel has no cohort/);
    expect((await say('configured-fay', 'schedule discuss 7 monday 10:00'))[0].text).toMatch(/^I do not know that module\. Choose a number from 1 to 6/);
    expect((await say('configured-fay', 'schedule discuss 2 someday'))[0].text).toMatch(/^I could not read that time\./);
    expect((await say('configured-fay', 'agendar discussão 2 2026-11-30 10:00', { locale: 'pt-PT' }))[0].text).toMatch(/já passou: escolha uma hora futura\.$/);
    expect(await jobs.pending('msteams:19:cohort')).toEqual([]);

    await say('configured-fay', 'schedule discuss 2 tomorrow 9:00');
    const [job] = await jobs.pending('msteams:19:cohort');
    expect((await say('someone', `schedule cancel ${job.id}`))[0].text).toBe('Only the course facilitators can schedule or cancel discussion prompts.');
    expect((await say('configured-fay', 'schedule cancel nope'))[0].text).toMatch(/There is no planned discussion "nope"/);
    // The Cancel button of the list.
    const [afterCancel] = await say('configured-fay', '', { text: undefined, action: { command: 'schedule.cancel', args: { id: job.id } } });
    expect(afterCancel.text).toContain(`Cancelled ${job.id}: it will not be posted.`);
    expect(await jobs.pending('msteams:19:cohort')).toEqual([]);
  });
});
