import type { Language } from '../../../config/config-schema';
import { directionOf, type Translate } from '../../../i18n/i18n';
import type { CourseModule } from '../../course/content-model';
import type { Reply } from '../../reply';

export const DISCUSSION_JOB = 'discussion-prompt';

/** What a scheduled discussion job carries (the job port stores it as JSON). */
export interface DiscussionJobPayload extends Record<string, unknown> {
  channelId: string;
  /** The channel conversation (Teams: without ";messageid="). */
  conversationId: string;
  moduleId: string;
  /** The prompt's language and the zone its times are shown in. */
  lang: Language;
  timeZone: string;
  /** Who scheduled it: told privately when it can never be posted. */
  facilitatorKey: string;
  facilitatorLang: Language;
}

/** The job group of a channel conversation: what `schedule` lists and may cancel there. */
export function scheduleGroup(channelId: string, conversationId: string): string {
  return `${channelId}:${conversationId}`;
}

const LOCALES: Record<Language, string> = { en: 'en-GB', es: 'es-ES', fr: 'fr-FR', pt: 'pt-PT', ar: 'ar' };

/** "Monday 7 December 2026 at 10:00 (Europe/Lisbon)", in the reader's language. */
export function formatWhen(at: Date, lang: Language, timeZone: string): string {
  const text = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${text} (${timeZone})`;
}

/**
 * The discussion prompt posted to the channel: the question, the format and its timing, and
 * a plain statement that the bot does not read the replies in its thread (it does not follow
 * discussion threads yet).
 */
export function scheduledPromptReply(t: Translate, lang: Language, module: CourseModule, postedAt: Date, timeZone: string): Reply {
  const title = t('facilitation:discussion.title', { order: module.order, title: module.title });
  return {
    intent: 'reflection',
    lang,
    dir: directionOf(lang),
    title,
    text: [
      `**${t('facilitation:schedule.prompt.questionTitle')}**`,
      module.reflection,
      `**${t('facilitation:schedule.prompt.formatTitle')}**`,
      t('facilitation:schedule.prompt.format'),
      t('facilitation:schedule.prompt.timing', { when: formatWhen(postedAt, lang, timeZone) }),
      `**${t('facilitation:schedule.prompt.repliesTitle')}**`,
      t('facilitation:schedule.prompt.replies'),
    ].join('\n\n'),
    actions: [{ label: t('facilitation:schedule.prompt.poll'), command: 'discuss.open', args: { module: module.id } }],
    summary: title,
  };
}
