import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerHelp } from '../../src/core/basics/help';
import { registerLanguage } from '../../src/core/basics/language';
import { learnerKey } from '../../src/core/learner';
import type { Reply } from '../../src/intents/reply';
import type { TurnInput } from '../../src/core/turn';
import { reminderKey, type ReminderDocument } from '../../src/core/reminders/reminder-document';
import { ReminderScheduler } from '../../src/core/reminders/reminder-scheduler';
import { nextOccurrence, parseReminderTime, validTimeZone } from '../../src/core/reminders/reminder-time';
import { registerReminders } from '../../src/core/reminders/register-reminders';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import type { ProactiveOutcome, ProactivePort } from '../../src/ports/proactive';
import type { StoragePort } from '../../src/ports/storage';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';

const logger = createLogger({ level: 'silent' });
const ANA = learnerKey('msteams', 'aad-ana');

class RecordingProactive implements ProactivePort {
  readonly sent: { learnerKey: string; replies: Reply[] }[] = [];
  outcome: ProactiveOutcome = 'sent';
  async sendToLearner(learnerKey: string, replies: Reply[]): Promise<ProactiveOutcome> {
    this.sent.push({ learnerKey, replies });
    return this.outcome;
  }
}

function turn(text: string, now: Date, extra: Partial<TurnInput> = {}): TurnInput {
  return { channelId: 'msteams', userId: 'aad-ana', conversationId: 'a:personal-ana', scope: 'personal', text, now, locale: 'en-US', timezone: 'Europe/Paris', ...extra };
}

async function world(storage: StoragePort, localizer: Localizer) {
  const registry = new CommandRegistry(localizer);
  registerHelp(registry);
  registerLanguage(registry);
  registerReminders(registry, storage);
  const coach = new Coach({ storage, localizer, registry, logger, defaultLanguage: 'en' });
  const proactive = new RecordingProactive();
  const scheduler = new ReminderScheduler({ storage, proactive, localizer, registry, logger, defaultLanguage: 'en' });
  return { coach, proactive, scheduler, registry };
}

describe('reminder times', () => {
  it('reads the times learners type', () => {
    expect(parseReminderTime('at 08:30')).toBe('08:30');
    expect(parseReminderTime('8:30')).toBe('08:30');
    expect(parseReminderTime('18h05')).toBe('18:05');
    expect(parseReminderTime('at 6pm')).toBe('18:00');
    expect(parseReminderTime('12 am')).toBe('00:00');
    expect(parseReminderTime('25:00')).toBeUndefined();
    expect(parseReminderTime('8:75')).toBeUndefined();
    expect(parseReminderTime('tomorrow')).toBeUndefined();
    expect(parseReminderTime('8')).toBeUndefined();
    expect(parseReminderTime('ذكّرني الساعة ٠٨:٣٠')).toBe('08:30');
    expect(parseReminderTime('٠٧٫١٥')).toBe('07:15');
  });

  it("computes the next daily occurrence in the learner's time zone, across daylight-saving changes", () => {
    // Paris is UTC+1 in winter: 08:30 local is 07:30Z.
    expect(nextOccurrence('08:30', 'Europe/Paris', new Date('2026-11-28T06:00:00Z')).toISOString()).toBe('2026-11-28T07:30:00.000Z');
    expect(nextOccurrence('08:30', 'Europe/Paris', new Date('2026-11-28T07:30:00Z')).toISOString()).toBe('2026-11-29T07:30:00.000Z');
    // New York switches to UTC-4 on 8 March 2026.
    expect(nextOccurrence('09:00', 'America/New_York', new Date('2026-03-07T15:00:00Z')).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(nextOccurrence('09:00', 'America/New_York', new Date('2026-03-06T15:00:00Z')).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    // Kolkata has a half-hour offset; Auckland is ahead of UTC by a day.
    expect(nextOccurrence('07:00', 'Asia/Kolkata', new Date('2026-11-28T00:00:00Z')).toISOString()).toBe('2026-11-28T01:30:00.000Z');
    expect(nextOccurrence('07:00', 'Pacific/Auckland', new Date('2026-11-28T12:00:00Z')).toISOString()).toBe('2026-11-28T18:00:00.000Z');
  });

  it('falls back to UTC for an unknown time zone', () => {
    expect(validTimeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(validTimeZone(undefined)).toBe('UTC');
    expect(validTimeZone('Africa/Cairo')).toBe('Africa/Cairo');
  });
});

describe('learner reminders (SQLite)', () => {
  let localizer: Localizer;
  let storage: SqliteStorage;
  beforeAll(async () => {
    localizer = await createLocalizer();
  });
  beforeEach(async () => {
    storage = new SqliteStorage(':memory:');
    await storage.open();
  });
  afterEach(() => storage.close());

  it("offers a few times as buttons, then sets the one pressed in the learner's time zone", async () => {
    const { coach } = await world(storage, localizer);
    const now = new Date('2026-11-28T06:00:00Z');
    const [choose] = (await coach.handle(turn('reminders', now))).replies;
    expect(choose.text).toContain('Europe/Paris');
    const buttons = choose.actions!.filter((a) => a.command === 'reminders');
    expect(buttons.map((b) => b.args?.time)).toEqual(['07:30', '08:30', '12:30', '17:30']);

    const [done] = (await coach.handle({ ...turn('', now), text: undefined, action: { command: 'reminders', args: { time: '08:30' } } })).replies;
    expect(done.text).toMatch(/every day at \*\*08:30\*\* \(Europe\/Paris\)/);
    const doc = (await storage.read<ReminderDocument>(reminderKey(ANA)))!.value;
    expect(doc).toMatchObject({ active: true, time: '08:30', timeZone: 'Europe/Paris', nextDueAt: '2026-11-28T07:30:00.000Z', ignored: 0 });
  });

  it('understands "remind me at 18:00", refuses a time it cannot read, and "stop reminders" ends them', async () => {
    const { coach } = await world(storage, localizer);
    const now = new Date('2026-11-28T06:00:00Z');
    await coach.handle(turn('remind me at 18:00', now));
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value).toMatchObject({ time: '18:00', active: true });

    const [bad] = (await coach.handle(turn('remind me at teatime', now))).replies;
    expect(bad.text).toMatch(/could not read that time/);
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value.time).toBe('18:00');

    const [stopped] = (await coach.handle(turn('stop reminders', now))).replies;
    expect(stopped.title).toBe('Reminders off');
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value).toMatchObject({ active: false, stoppedBecause: 'learner' });
    const [again] = (await coach.handle(turn('stop reminders', now))).replies;
    expect(again.text).toMatch(/no reminders switched on/);
  });

  it("nudges once a day at the chosen time, in the learner's language, with a stop button", async () => {
    const { coach, proactive, scheduler } = await world(storage, localizer);
    await coach.handle(turn('language fr', new Date('2026-11-28T05:00:00Z')));
    await coach.handle(turn('remind me at 08:30', new Date('2026-11-28T06:00:00Z')));

    expect(await scheduler.tick(new Date('2026-11-28T07:29:00Z'))).toMatchObject({ sent: 0 });
    expect(await scheduler.tick(new Date('2026-11-28T07:30:30Z'))).toMatchObject({ sent: 1 });
    expect(await scheduler.tick(new Date('2026-11-28T07:31:30Z'))).toMatchObject({ sent: 0 });
    expect(proactive.sent).toHaveLength(1);
    const [nudge] = proactive.sent[0].replies;
    expect(proactive.sent[0].learnerKey).toBe(ANA);
    expect(nudge.lang).toBe('fr');
    expect(nudge.actions?.map((a) => a.command)).toContain('reminders.stop');
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value.nextDueAt).toBe('2026-11-29T07:30:00.000Z');
  });

  it('stops after three ignored nudges, and any learner activity resets the count', async () => {
    const { coach, proactive, scheduler } = await world(storage, localizer);
    await coach.handle(turn('remind me at 08:30', new Date('2026-11-28T06:00:00Z')));
    const day = (d: number) => new Date(Date.UTC(2026, 10, 28 + d, 7, 30, 10));

    await scheduler.tick(day(0)); // nudge 1
    await scheduler.tick(day(1)); // nudge 2 (1 ignored)
    await coach.handle(turn('help', new Date(day(1).getTime() + 3600_000))); // the learner comes back
    await scheduler.tick(day(2)); // nudge 3, count reset
    await scheduler.tick(day(3)); // nudge 4 (1 ignored)
    await scheduler.tick(day(4)); // nudge 5 (2 ignored): the last one says so
    expect(proactive.sent).toHaveLength(5);
    expect(proactive.sent[4].replies[0].text).toMatch(/last reminder/);
    expect(proactive.sent[3].replies[0].text).not.toMatch(/last reminder/);

    expect(await scheduler.tick(day(5))).toMatchObject({ sent: 0, stopped: 1 });
    expect(proactive.sent).toHaveLength(5);
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value).toMatchObject({ active: false, stoppedBecause: 'ignored' });
  });

  it('skips a nudge that is hours late (service was down) instead of sending it at an odd hour', async () => {
    const { coach, proactive, scheduler } = await world(storage, localizer);
    await coach.handle(turn('remind me at 08:30', new Date('2026-11-28T06:00:00Z')));
    expect(await scheduler.tick(new Date('2026-11-28T23:00:00Z'))).toMatchObject({ sent: 0, skipped: 1 });
    expect(proactive.sent).toHaveLength(0);
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value.nextDueAt).toBe('2026-11-29T07:30:00.000Z');
  });

  it('turns reminders off when the learner can no longer be reached', async () => {
    const { coach, proactive, scheduler } = await world(storage, localizer);
    await coach.handle(turn('remind me at 08:30', new Date('2026-11-28T06:00:00Z')));
    proactive.outcome = 'inactive';
    await scheduler.tick(new Date('2026-11-28T07:30:10Z'));
    expect((await storage.read<ReminderDocument>(reminderKey(ANA)))!.value).toMatchObject({ active: false, stoppedBecause: 'unreachable' });
  });

  it('sends a due nudge once even when two schedulers tick at the same moment', async () => {
    const a = await world(storage, localizer);
    const b = await world(storage, localizer);
    await a.coach.handle(turn('remind me at 08:30', new Date('2026-11-28T06:00:00Z')));
    const at = new Date('2026-11-28T07:30:10Z');
    await Promise.all([a.scheduler.tick(at), b.scheduler.tick(at)]);
    expect(a.proactive.sent.length + b.proactive.sent.length).toBe(1);
  });
});

describe('learner reminders with several instances on PostgreSQL', () => {
  const table = testTable('reminders');
  afterAll(() => table.drop());

  it('two schedulers on two connection pools claim each due reminder once: one send per learner', async () => {
    const localizer = await createLocalizer();
    const first = new PostgresStorage(TEST_DATABASE_URL, table.name);
    const second = new PostgresStorage(TEST_DATABASE_URL, table.name);
    await Promise.all([first.open(), second.open()]);
    try {
      const a = await world(first, localizer);
      const b = await world(second, localizer);
      const learners = Array.from({ length: 12 }, (_, i) => `aad-${i}`);
      for (const userId of learners) await a.coach.handle({ ...turn('remind me at 08:30', new Date('2026-11-28T06:00:00Z')), userId });
      const at = new Date('2026-11-28T07:30:10Z');
      const [ra, rb] = await Promise.all([a.scheduler.tick(at), b.scheduler.tick(at)]);
      expect(ra.sent + rb.sent).toBe(learners.length);
      const sentTo = [...a.proactive.sent, ...b.proactive.sent].map((s) => s.learnerKey).sort();
      expect(sentTo).toEqual(learners.map((u) => learnerKey('msteams', u)).sort());
      // A second round at the same moment finds nothing due.
      const [again1, again2] = await Promise.all([a.scheduler.tick(at), b.scheduler.tick(at)]);
      expect(again1.sent + again2.sent).toBe(0);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
