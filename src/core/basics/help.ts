import type { CommandRegistry } from '../command-registry';
import type { Action, Reply } from '../reply';
import type { Turn } from '../turn';

/**
 * Commands offered as buttons under help and the welcome, when their routes exist: the
 * learner journey in personal chats, facilitation first in groups and channels.
 */
const QUICK_COMMANDS = {
  personal: ['start', 'modules', 'progress', 'review', 'language'],
  group: ['discuss', 'modules', 'language'],
};

export function quickActions(turn: Turn, registry: CommandRegistry): Action[] {
  const names = turn.input.scope === 'personal' ? QUICK_COMMANDS.personal : QUICK_COMMANDS.group;
  return names.filter((name) => registry.get(name)).map((name) => ({
    label: turn.t(`common:actions.${name}`),
    command: name,
    style: name === 'start' ? 'primary' : 'default',
  }));
}

/** `help`: every command the bot knows, in the learner's language, with buttons for the main ones. */
export function registerHelp(registry: CommandRegistry, privacyNoticeUrl?: () => string): void {
  registry.add({
    name: 'help',
    aliasesKey: 'common:commands.help',
    helpKey: 'common:help.commands.help',
    handler: (turn): Reply[] => {
      const t = turn.t;
      const items = registry.helpRoutes().map((route) => {
        const words = t(route.aliasesKey ?? '', { returnObjects: true }) as unknown;
        const first = Array.isArray(words) ? String(words[0]) : route.name;
        return { title: first, text: t(route.helpKey!) };
      });
      return [
        turn.reply({
          intent: 'help',
          title: t('common:help.title'),
          text: privacyNoticeUrl ? `${t('common:help.intro')}\n\n${t('privacy:notice', { url: privacyNoticeUrl() })}` : t('common:help.intro'),
          items,
          actions: quickActions(turn, registry),
          summary: t('common:help.title'),
        }),
      ];
    },
  });
}
