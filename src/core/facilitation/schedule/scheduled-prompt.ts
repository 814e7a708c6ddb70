import type { Language } from '../../../config/config-schema';
import { directionOf, type Translate } from '../../../i18n/i18n';
import type { CourseModule } from '../../course/content-model';
import type { Reply } from '../../../intents/reply';

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
  /** Scheduled in a group chat without threads (Teams): the prompt asks for replies that quote it. */
  threadless?: boolean;
}

/**
 * A group conversation whose messages name no thread (a Teams group chat): only a reply that
 * quotes the prompt can be told from the rest of the chat, so the prompt asks for that.
 */
export function threadlessConversation(input: { scope: string; threadId?: string }): boolean {
  return input.scope === 'group' && !input.threadId;
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
 * What every discussion prompt says, posted now or on schedule: the question, the format and
 * its timing, and plainly that replies in its thread are collected for the facilitator's
 * anonymous summary, with how to keep a reply out of it (`optOutMarker` at its start).
 */
export function discussionPromptText(t: Translate, lang: Language, module: CourseModule, startsAt: Date, timeZone: string, optOutMarker: string, threadless: boolean): string[] {
  return [
    `**${t('facilitation:schedule.prompt.questionTitle')}**`,
    module.reflection,
    `**${t('facilitation:schedule.prompt.formatTitle')}**`,
    t('facilitation:schedule.prompt.format'),
    t('facilitation:schedule.prompt.timing', { when: formatWhen(startsAt, lang, timeZone) }),
    `**${t('facilitation:schedule.prompt.repliesTitle')}**`,
    t(threadless ? 'facilitation:schedule.prompt.repliesQuoted' : 'facilitation:schedule.prompt.replies'),
    t('facilitation:schedule.prompt.optOut', { marker: optOutMarker }),
  ];
}

/** The discussion prompt the scheduler posts to the channel. */
export function scheduledPromptReply(t: Translate, lang: Language, module: CourseModule, postedAt: Date, timeZone: string, optOutMarker: string, threadless: boolean): Reply {
  const title = t('facilitation:discussion.title', { order: module.order, title: module.title });
  return {
    intent: 'reflection',
    lang,
    dir: directionOf(lang),
    title,
    text: discussionPromptText(t, lang, module, postedAt, timeZone, optOutMarker, threadless).join('\n\n'),
    actions: [{ label: t('facilitation:schedule.prompt.poll'), command: 'discuss.open', args: { module: module.id } }],
    summary: title,
  };
}
