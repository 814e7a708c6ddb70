import type { Language } from '../config/config-schema';
import type { Translate } from '../i18n/i18n';
import type { LearnerRecord } from './learner';
import type { Reply } from '../intents/reply';
import type { UploadedFile } from '../ports/uploads';

export type ConversationScope = 'personal' | 'group' | 'channel';

/** One incoming turn, already stripped of channel details by an adapter at the edge. */
export interface TurnInput {
  channelId: string;
  userId: string;
  userName?: string;
  conversationId: string;
  scope: ConversationScope;
  /** Channel activity id; a repeated id is a retry and is not processed twice. */
  activityId?: string;
  /** Channel locale such as "fr-FR". */
  locale?: string;
  /** The organisation the user belongs to (Teams tenant id, Slack team id), for per-tenant limits. */
  tenantId?: string;
  /** IANA time zone, when the channel sends one (Teams: localTimezone). */
  timezone?: string;
  /**
   * The thread the turn is in, in a channel (Teams: the root message id after ";messageid=";
   * Slack: the thread ts, or the message's own ts, since the bot answers under it).
   */
  threadId?: string;
  /** Typed text, with any @mention of the bot removed. */
  text?: string;
  /** A pressed button or card action. */
  action?: { command: string; args?: Record<string, string> };
  /** A file sent with the message (Teams file.download.info, a Slack file): fetched only if a route reads it. */
  upload?: UploadedFile;
  /** A lifecycle event instead of a message. */
  event?: 'installed';
  now?: Date;
  /** Set by channels that can show a slow answer while it is written (Teams streaming); routes may report to it. */
  onProgress?: (progress: TurnProgress) => void;
}

/**
 * What a turn reports while it works: a localized status line ("Searching the course…"), then
 * the answer written so far (the whole text each time, already made safe to show). The turn's
 * replies still follow as usual and have the last word.
 */
export type TurnProgress = { kind: 'status'; text: string } | { kind: 'partial'; text: string; dir: 'ltr' | 'rtl' };

export interface TurnResult {
  replies: Reply[];
  /** True when the activity was a retry of one already handled. */
  duplicate: boolean;
  lang: Language;
}

/** What a route handler sees. Mutate `learner` (or a slice); the coach saves it atomically. */
export interface Turn {
  readonly input: TurnInput;
  readonly learner: LearnerRecord;
  readonly lang: Language;
  readonly dir: 'ltr' | 'rtl';
  readonly t: Translate;
  readonly now: Date;
  /** Arguments of a pressed action, or parsed from typed text. */
  readonly args: Record<string, string>;
  /** Typed text after the command word (for "ask <question>"), or the whole text for free text. */
  readonly text: string;
  /** Builds a reply in the turn's language; `summary` defaults to the title or text. */
  reply(reply: Omit<Reply, 'lang' | 'dir' | 'summary'> & { summary?: string }): Reply;
  /** A feature's own part of the learner record, created on first use. */
  slice<T extends object>(name: string, init: () => T): T;
  /** Changes the learner's language for the rest of the turn and later ones. */
  setLanguage(lang: Language): void;
  /** The same turn answering in another language, without changing the learner's choice (a question asked in Spanish gets a Spanish answer). */
  inLanguage(lang: Language): Turn;
  /**
   * The learner asked to be forgotten: after the handler, the coach deletes the learner record
   * instead of saving it (the handler has erased everything else).
   */
  forget(): void;
}

export type RouteHandler = (turn: Turn) => Promise<Reply[]> | Reply[];
