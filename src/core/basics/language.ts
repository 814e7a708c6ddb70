import { SUPPORTED_LANGUAGES, type Language } from '../../config/config-schema';
import type { CommandRegistry } from '../command-registry';
import type { Reply } from '../../intents/reply';
import { normalizeCommandText } from '../text-normalize';

/** `language` shows the choice; `language es` (or a button) switches the learner's language. */
export function registerLanguage(registry: CommandRegistry): void {
  registry.add({
    name: 'language',
    aliasesKey: 'common:commands.language',
    helpKey: 'common:help.commands.language',
    takesText: true,
    handler: (turn): Reply[] => {
      const wanted = languageNamed(turn.args.lang ?? turn.text);
      if (wanted) {
        turn.setLanguage(wanted);
        // Confirmed: carry on with the course in the new language, or see what else there is.
        const resume = registry.get('start') ? [{ label: turn.t('common:actions.start'), command: 'start', style: 'primary' as const }] : [];
        return [turn.reply({ intent: 'settings', text: turn.t('common:language.changed'), actions: [...resume, { label: turn.t('common:actions.help'), command: 'help' }] })];
      }
      return [
        turn.reply({
          intent: 'settings',
          title: turn.t('common:language.title'),
          text: turn.t('common:language.choose'),
          actions: [
            ...SUPPORTED_LANGUAGES.map((lang) => ({ label: turn.t(`common:language.names.${lang}`), command: 'language', args: { lang } })),
            // The settings card is where people look for their data too.
            ...(registry.get('mydata') ? [{ label: turn.t('privacy:actions.myData'), command: 'mydata' }] : []),
          ],
        }),
      ];
    },
  });
}

/** Language names as people type them, in the five course languages (accents and case folded). */
const LANGUAGE_NAMES: Record<Language, string[]> = {
  en: ['en', 'english', 'ingles', 'anglais', 'الانجليزيه', 'الانكليزيه'],
  es: ['es', 'spanish', 'espanol', 'castellano', 'espagnol', 'espanhol', 'الاسبانيه'],
  fr: ['fr', 'french', 'frances', 'francais', 'الفرنسيه'],
  pt: ['pt', 'portuguese', 'portugues', 'portugais', 'البرتغاليه'],
  ar: ['ar', 'arabic', 'arabe', 'العربيه', 'عربي'],
};

function languageNamed(text: string): Language | undefined {
  const word = normalizeCommandText(text).replace(/[أإآ]/g, 'ا').replace(/ة/g, 'ه');
  if (!word) return undefined;
  return (Object.keys(LANGUAGE_NAMES) as Language[]).find((lang) => LANGUAGE_NAMES[lang].includes(word));
}
