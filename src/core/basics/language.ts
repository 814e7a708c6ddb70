import { SUPPORTED_LANGUAGES, type Language } from '../../config/config-schema';
import type { CommandRegistry } from '../command-registry';
import type { Reply } from '../reply';
import { normalizeCommandText } from '../text-normalize';

/** `language` shows the choice; `language es` (or a button) switches the learner's language. */
export function registerLanguage(registry: CommandRegistry): void {
  registry.add({
    name: 'language',
    aliasesKey: 'common:commands.language',
    helpKey: 'common:help.commands.language',
    takesText: true,
    handler: (turn): Reply[] => {
      const wanted = (turn.args.lang ?? normalizeCommandText(turn.text)).slice(0, 2) as Language;
      if ((SUPPORTED_LANGUAGES as readonly string[]).includes(wanted)) {
        turn.setLanguage(wanted);
        return [turn.reply({ intent: 'settings', text: turn.t('common:language.changed'), actions: [{ label: turn.t('common:actions.help'), command: 'help' }] })];
      }
      return [
        turn.reply({
          intent: 'settings',
          title: turn.t('common:language.title'),
          text: turn.t('common:language.choose'),
          actions: SUPPORTED_LANGUAGES.map((lang) => ({ label: turn.t(`common:language.names.${lang}`), command: 'language', args: { lang } })),
        }),
      ];
    },
  });
}
