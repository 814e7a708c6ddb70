import type { Coach } from '../../core/coach';
import type { TurnInput } from '../../core/turn';
import type { Language, Localizer } from '../../i18n/i18n';
import { renderText } from '../../render/text-renderer';

export const TERMINAL_CHANNEL_ID = 'terminal';

export interface TerminalIdentity {
  userId: string;
  userName?: string;
  /** e.g. "fr_FR.UTF-8" from LANG; unsupported locales fall back to the default language. */
  locale?: string;
}

/**
 * One person talking to the coach in a terminal: turns go straight to the channel-neutral
 * core (no HTTP), replies come back as text with numbered choices the person can type.
 */
export class TerminalSession {
  private currentLang: Language;

  constructor(
    private readonly coach: Coach,
    private readonly localizer: Localizer,
    private readonly identity: TerminalIdentity,
    defaultLanguage: Language,
  ) {
    this.currentLang = defaultLanguage;
  }

  /** The language of the last reply, for the chat's own messages. */
  get lang(): Language {
    return this.currentLang;
  }

  /** Resolves the learner's language before the first turn (stored choice, then locale). */
  async init(): Promise<void> {
    const learner = await this.coach.readLearner(TERMINAL_CHANNEL_ID, this.identity.userId);
    this.currentLang = this.coach.languageFor(learner, this.identity.locale);
  }

  /** The first turn: the same welcome Teams shows when the bot is installed. */
  welcome(): Promise<string[]> {
    return this.turn({ event: 'installed' });
  }

  say(text: string): Promise<string[]> {
    return this.turn({ text });
  }

  private async turn(partial: Pick<TurnInput, 'text' | 'event'>): Promise<string[]> {
    const result = await this.coach.handle({
      channelId: TERMINAL_CHANNEL_ID,
      userId: this.identity.userId,
      userName: this.identity.userName,
      conversationId: `${TERMINAL_CHANNEL_ID}:${this.identity.userId}`,
      scope: 'personal',
      locale: this.identity.locale,
      ...partial,
    });
    this.currentLang = result.lang;
    return result.replies.map((reply) => renderText(reply, this.localizer.forLanguage(reply.lang)));
  }
}
