import type { CommandRegistry } from '../command-registry';
import { shared, type Action, type Reply } from '../../intents/reply';
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
  // The reply holds nothing of the learner: one per language, scope and notice address, rebuilt
  // only when routes are added (they are never removed). It is 11 KB of card once rendered.
  const built = new Map<string, { routes: number; reply: Reply }>();
  registry.add({
    name: 'help',
    aliasesKey: 'common:commands.help',
    helpKey: 'common:help.commands.help',
    handler: (turn): Reply[] => {
      const url = privacyNoticeUrl?.();
      const key = `${turn.lang}|${turn.input.scope === 'personal' ? 'personal' : 'group'}|${url === undefined ? 'no notice' : `notice ${url}`}`;
      const cached = built.get(key);
      if (cached && cached.routes === registry.size) return [cached.reply];
      const t = turn.t;
      const items = registry.helpRoutes().map((route) => {
        const words = t(route.aliasesKey ?? '', { returnObjects: true }) as unknown;
        const first = Array.isArray(words) ? String(words[0]) : route.name;
        return { title: first, text: t(route.helpKey!) };
      });
      const reply = shared(
        turn.reply({
          intent: 'help',
          title: t('common:help.title'),
          text: url !== undefined ? `${t('common:help.intro')}\n\n${t('privacy:notice', { url })}` : t('common:help.intro'),
          items,
          actions: quickActions(turn, registry),
          summary: t('common:help.title'),
        }),
      );
      built.set(key, { routes: registry.size, reply });
      return [reply];
    },
  });
}
