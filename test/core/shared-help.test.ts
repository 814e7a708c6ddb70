import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerHelp } from '../../src/core/basics/help';
import { registerLanguage } from '../../src/core/basics/language';
import type { TurnInput } from '../../src/core/turn';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import { normalizeCommandText } from '../../src/core/text-normalize';
import { SUPPORTED_LANGUAGES } from '../../src/config/config-schema';

async function setup(noticeUrl?: () => string) {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const localizer = await createLocalizer();
  const registry = new CommandRegistry(localizer);
  registerHelp(registry, noticeUrl);
  registerLanguage(registry);
  // Quick buttons differ between personal chats (start) and groups (discuss).
  for (const name of ['start', 'discuss']) registry.add({ name, handler: (turn) => [turn.reply({ intent: 'notice', text: name })] });
  const coach = new Coach({ storage, localizer, registry, logger: createLogger({ level: 'silent' }), defaultLanguage: 'en' });
  return { coach, registry, localizer };
}

const learner = (n: number, overrides: Partial<TurnInput> = {}): TurnInput => ({
  channelId: 'msteams',
  userId: `u${n}`,
  conversationId: `c${n}`,
  scope: 'personal',
  locale: 'en-US',
  text: 'help',
  ...overrides,
});

describe('help, shared between learners', () => {
  it('is in each learner’s language, with the buttons of their kind of conversation', async () => {
    const { coach } = await setup();
    const en = (await coach.handle(learner(1))).replies[0];
    const fr = (await coach.handle(learner(2, { locale: 'fr-FR' }))).replies[0];
    const group = (await coach.handle(learner(3, { scope: 'group' }))).replies[0];
    const enAgain = (await coach.handle(learner(4))).replies[0];
    expect([en.lang, fr.lang, group.lang]).toEqual(['en', 'fr', 'en']);
    expect(fr.title).not.toBe(en.title);
    expect(en.actions?.map((a) => a.command)).toContain('language');
    expect(group.actions?.map((a) => a.command)).not.toEqual(en.actions?.map((a) => a.command));
    expect(enAgain).toEqual(en);
  });

  it('lists a command registered after help was first shown', async () => {
    const { coach, registry } = await setup();
    const before = (await coach.handle(learner(1))).replies[0];
    registry.add({ name: 'late', aliasesKey: 'common:commands.help', helpKey: 'common:help.intro', handler: (turn) => [turn.reply({ intent: 'notice', text: 'late' })] });
    const after = (await coach.handle(learner(2))).replies[0];
    expect(after.items).toHaveLength((before.items?.length ?? 0) + 1);
  });

  it('follows the privacy notice address when it changes', async () => {
    let url = 'https://bot.example.org/privacy';
    const { coach } = await setup(() => url);
    expect((await coach.handle(learner(1))).replies[0].text).toContain('https://bot.example.org/privacy');
    url = 'https://other.example.org/privacy';
    expect((await coach.handle(learner(2))).replies[0].text).toContain('https://other.example.org/privacy');
  });

  it('cannot be changed by what one turn does with it, so the next learner sees the same list', async () => {
    const { coach } = await setup();
    const first = (await coach.handle(learner(1))).replies[0];
    const listed = first.items!.length;
    expect(() => first.items!.pop()).toThrow(TypeError);
    expect(() => {
      first.actions![0]!.label = 'changed';
    }).toThrow(TypeError);
    const second = (await coach.handle(learner(2))).replies[0];
    expect(second.items).toHaveLength(listed);
    expect(second.actions![0]!.label).not.toBe('changed');
  });
});

describe('typed commands', () => {
  /** The rule match() keeps: the first command word, longest first, that the text is or starts with (then a space, for commands that take text). */
  function reference(registry: CommandRegistry, localizer: Localizer, text: string) {
    const words = registry
      .all()
      .filter((r) => r.aliasesKey)
      .flatMap((route) => localizer.allTranslations(route.aliasesKey!).map((w) => ({ alias: normalizeCommandText(w), route })))
      .filter((a) => a.alias)
      .sort((a, b) => b.alias.length - a.alias.length);
    const normalized = normalizeCommandText(text);
    if (!normalized) return undefined;
    for (const { alias, route } of words) {
      if (normalized === alias) return { route: route.name, rest: '' };
      if (route.takesText && normalized.startsWith(`${alias} `)) return { route: route.name, rest: text.trim().split(/\s+/).slice(alias.split(' ').length).join(' ') };
    }
    return undefined;
  }

  it('run the command whose word is longest, in any language, with the words after it for commands that take text', async () => {
    const { registry, localizer } = await setup();
    registry.add({ name: 'explain', aliasesKey: 'qa:commands.explain', takesText: true, handler: () => [] });
    registry.add({ name: 'ask', aliasesKey: 'qa:commands.ask', takesText: true, handler: () => [] });
    registry.add({ name: 'define', aliasesKey: 'qa:commands.define', takesText: true, handler: () => [] });
    const words = SUPPORTED_LANGUAGES.flatMap((lang) =>
      ['common:commands.help', 'common:commands.language', 'qa:commands.explain', 'qa:commands.ask', 'qa:commands.define'].flatMap((key) => {
        const t = localizer.forLanguage(lang);
        const value = t(key, { returnObjects: true }) as unknown;
        return Array.isArray(value) ? value.map(String) : [];
      }),
    );
    const texts = [...words, ...words.map((w) => `${w} what is automation bias?`), ...words.map((w) => ` ${w.toUpperCase()}   more  `), ...words.map((w) => `${w}x`), 'what is help', '', '   ', '?'];
    for (const text of texts) {
      const found = registry.match(text);
      expect(found ? { route: found.route.name, rest: found.rest } : undefined).toEqual(reference(registry, localizer, text));
    }
  });
});
