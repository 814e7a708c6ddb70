import type { Language } from '../../config/config-schema';
import type { CommandRegistry } from '../command-registry';
import type { Action, Reply } from '../../intents/reply';
import type { Turn } from '../turn';

/**
 * Commands offered as buttons under help and the welcome, when their routes exist: the
 * learner journey in personal chats, facilitation first in groups and channels.
 */
const QUICK_COMMANDS = {
  personal: ['start', 'modules', 'progress', 'review', 'reminders', 'language'],
  group: ['discuss', 'modules', 'language'],
};

export function quickActions(turn: Turn, registry: CommandRegistry): Action[] {
  const names = turn.input.scope === 'personal' ? QUICK_COMMANDS.personal : QUICK_COMMANDS.group;
  return names
    .filter((name) => registry.get(name))
    .map((name) => ({
      label: turn.t(`common:actions.${name}`),
      command: name,
      style: name === 'start' ? 'primary' : 'default',
    }));
}

/** `help`: every command the bot knows, in the learner's language, with buttons for the main ones. */
export function registerHelp(registry: CommandRegistry, privacyNoticeUrl?: () => string): void {
  const itemsByLanguage = new Map<Language, { routes: number; items: { title: string; text: string }[] }>();
  const introByLanguage = new Map<Language, { url?: string; text: string }>();
  const introText = (lang: Language, t: Turn['t'], url: string | undefined): string => {
    const cached = introByLanguage.get(lang);
    if (cached && cached.url === url) return cached.text;
    const text = url !== undefined ? `${t('common:help.intro')}\n\n${t('privacy:notice', { url })}` : t('common:help.intro');
    introByLanguage.set(lang, { url, text });
    return text;
  };
  registry.add({
    name: 'help',
    aliasesKey: 'common:commands.help',
    helpKey: 'common:help.commands.help',
    handler: (turn): Reply[] => {
      const t = turn.t;
      const routes = registry.helpRoutes();
      // The list depends only on the language and the registered routes (which are only ever added).
      let cached = itemsByLanguage.get(turn.lang);
      if (!cached || cached.routes !== routes.length) {
        const built = routes.map((route) => {
          const words = t(route.aliasesKey ?? '', { returnObjects: true }) as unknown;
          const first = Array.isArray(words) ? String(words[0]) : route.name;
          return { title: first, text: t(route.helpKey!) };
        });
        cached = { routes: routes.length, items: built };
        itemsByLanguage.set(turn.lang, cached);
      }
      const items = cached.items.map((item) => ({ ...item }));
      return [
        turn.reply({
          intent: 'help',
          title: t('common:help.title'),
          text: introText(turn.lang, t, privacyNoticeUrl?.()),
          items,
          actions: quickActions(turn, registry),
          summary: t('common:help.title'),
        }),
      ];
    },
  });
}
