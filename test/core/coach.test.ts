import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerHelp } from '../../src/core/basics/help';
import { registerLanguage } from '../../src/core/basics/language';
import type { TurnInput } from '../../src/core/turn';
import { createLocalizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';

async function setup() {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const localizer = await createLocalizer();
  const registry = new CommandRegistry(localizer);
  registerHelp(registry);
  registerLanguage(registry);
  const seen: string[] = [];
  registry.add({
    name: 'count',
    handler: (turn) => {
      const slice = turn.slice('counter', () => ({ n: 0 }));
      slice.n++;
      return [turn.reply({ intent: 'notice', text: `n=${slice.n}` })];
    },
  });
  registry.add({
    name: 'pick',
    takesText: true,
    handler: (turn) => {
      seen.push(JSON.stringify({ ...turn.args, ...(turn.text ? { text: turn.text } : {}) }));
      return [turn.reply({ intent: 'notice', text: `picked ${turn.args.answer}` })];
    },
  });
  registry.add({
    name: 'ask',
    handler: (turn) => [
      turn.reply({
        intent: 'ask-question',
        text: 'Which?',
        choices: {
          selection: 'multiple',
          command: 'pick',
          args: { question: 'q1' },
          options: [
            { id: 'a', label: 'A' },
            { id: 'b', label: 'B' },
            { id: 'c', label: 'C' },
          ],
        },
        actions: [{ label: 'Help', command: 'help' }],
      }),
    ],
  });
  registry.add({
    name: 'explode',
    handler: (turn) => {
      turn.slice('counter', () => ({ n: 0 })).n = 999;
      throw new Error('database exploded with secret details');
    },
  });
  registry.fallback((turn) => [turn.reply({ intent: 'answer', text: `question: ${turn.text}` })]);
  const coach = new Coach({ storage, localizer, registry, logger: createLogger({ level: 'silent' }), defaultLanguage: 'en' });
  return { coach, storage, seen };
}

const base: TurnInput = { channelId: 'msteams', userId: 'u1', conversationId: 'c1', scope: 'personal', locale: 'en-US' };

describe('Coach', () => {
  it('answers in the channel locale, and in the chosen language once the learner picks one', async () => {
    const { coach } = await setup();
    const es = await coach.handle({ ...base, locale: 'es-MX', text: 'help' });
    expect(es.lang).toBe('es');
    await coach.handle({ ...base, action: { command: 'language', args: { lang: 'fr' } } });
    const after = await coach.handle({ ...base, locale: 'es-MX', text: 'help' });
    expect(after.lang).toBe('fr');
    expect(after.replies[0].lang).toBe('fr');
  });

  it('switches language when the learner types its name in any course language', async () => {
    const { coach } = await setup();
    for (const [typed, lang] of [
      ['language Português', 'pt'],
      ['idioma español', 'es'],
      ['اللغة العربية', 'ar'],
      ['langue anglais', 'en'],
      ['language fr', 'fr'],
    ] as const) {
      const result = await coach.handle({ ...base, text: typed });
      expect(result.lang).toBe(lang);
    }
  });

  it('lets a learner type the number of a button, and several numbers for a multiple-choice question', async () => {
    const { coach, seen } = await setup();
    await coach.handle({ ...base, action: { command: 'ask' } });
    await coach.handle({ ...base, text: '1, 3' });
    expect(seen.pop()).toBe(JSON.stringify({ question: 'q1', answer: 'a,c' }));
    await coach.handle({ ...base, action: { command: 'ask' } });
    const help = await coach.handle({ ...base, text: '4' });
    expect(help.replies[0].intent).toBe('help');
  });

  it('offers the same choices again when the typed number is not one of them', async () => {
    const { coach } = await setup();
    await coach.handle({ ...base, action: { command: 'ask' } });
    const wrong = await coach.handle({ ...base, text: '9' });
    expect(wrong.replies[0].text).toMatch(/from 1 to 4/);
    expect(wrong.replies[0].actions).toHaveLength(4);
    const help = await coach.handle({ ...base, text: '4' });
    expect(help.replies[0].intent).toBe('help');
  });

  it('treats a number with no pending choices as free text', async () => {
    const { coach } = await setup();
    const result = await coach.handle({ ...base, text: '42' });
    expect(result.replies[0].text).toBe('question: 42');
  });

  it('processes a repeated activity id only once', async () => {
    const { coach } = await setup();
    const first = await coach.handle({ ...base, activityId: 'a-1', action: { command: 'count' } });
    const again = await coach.handle({ ...base, activityId: 'a-1', action: { command: 'count' } });
    expect(first.replies[0].text).toBe('n=1');
    expect(again.duplicate).toBe(true);
    expect(again.replies).toEqual([]);
    expect((await coach.handle({ ...base, activityId: 'a-2', action: { command: 'count' } })).replies[0].text).toBe('n=2');
  });

  it('keeps every update when turns of the same learner race (optimistic concurrency with retry)', async () => {
    const { coach } = await setup();
    await Promise.all(Array.from({ length: 10 }, (_, i) => coach.handle({ ...base, activityId: `r-${i}`, action: { command: 'count' } })));
    const learner = await coach.readLearner('msteams', 'u1');
    expect((learner!.data.counter as { n: number }).n).toBe(10);
  });

  it('tells the learner in their language when a turn fails, without internals, and loses no progress', async () => {
    const { coach } = await setup();
    await coach.handle({ ...base, action: { command: 'count' } });
    const failed = await coach.handle({ ...base, locale: 'en-GB', action: { command: 'explode' } });
    expect(failed.replies[0].intent).toBe('error');
    expect(failed.replies[0].text).toMatch(/Reference: [0-9a-f]{8}/);
    expect(failed.replies[0].text).not.toMatch(/database exploded/);
    const learner = await coach.readLearner('msteams', 'u1');
    expect((learner!.data.counter as { n: number }).n).toBe(1);
  });

  it('answers an unknown button command instead of staying silent', async () => {
    const { coach } = await setup();
    const result = await coach.handle({ ...base, action: { command: 'no-such-thing' } });
    expect(result.replies[0].intent).toBe('notice');
    expect(result.replies[0].actions?.[0].command).toBe('help');
  });
});

describe('Coach on several instances (real PostgreSQL)', () => {
  const table = testTable('coach');
  const stores = [new PostgresStorage(TEST_DATABASE_URL, table.name), new PostgresStorage(TEST_DATABASE_URL, table.name)];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await table.drop();
  });

  it('keeps every update when two instances handle the same learner at once', async () => {
    await Promise.all(stores.map((s) => s.open()));
    const localizer = await createLocalizer();
    const make = (storage: PostgresStorage) => {
      const registry = new CommandRegistry(localizer);
      registry.add({
        name: 'count',
        handler: (turn) => {
          turn.slice('counter', () => ({ n: 0 })).n++;
          return [];
        },
      });
      return new Coach({ storage, localizer, registry, logger: createLogger({ level: 'silent' }), defaultLanguage: 'en' });
    };
    const [a, b] = stores.map(make);
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).handle({ ...base, activityId: `m-${i}`, action: { command: 'count' } })));
    const learner = await a.readLearner('msteams', 'u1');
    expect((learner!.data.counter as { n: number }).n).toBe(8);
    expect(learner?.recentActivityIds).toHaveLength(8);
  });
});
