import type { Language } from '../config/config-schema';
import type { Reply } from '../intents/reply';
import { directionOf, type Localizer } from '../i18n/i18n';

/**
 * What a group chat or channel sees instead of a learner's personal replies: that they went to
 * the learner's private chat, or (when that chat could not be reached) that they are personal.
 */
export function personalPointer(localizer: Localizer, lang: Language, sent: boolean): Reply {
  const text = localizer.forLanguage(lang)(sent ? 'common:personal.sentPrivately' : 'common:personal.couldNotSend');
  return { intent: 'notice', lang, dir: directionOf(lang), text, summary: text };
}

/** Splits a group turn's replies into the learner's own ones and those for everyone. */
export function splitPersonal(replies: Reply[]): { personal: Reply[]; shared: Reply[] } {
  return { personal: replies.filter((r) => r.personal), shared: replies.filter((r) => !r.personal) };
}
