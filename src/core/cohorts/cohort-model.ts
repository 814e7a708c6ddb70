import type { Language } from '../../config/config-schema';

/** A member of a cohort: what the facilitator's report and the welcome need, nothing more. */
export interface CohortMember {
  userId: string;
  name?: string;
  email?: string;
  /** How the channel reaches this person privately (see CohortChannelPort). */
  address: Record<string, string>;
  joinedAt: string;
}

/** A cohort as stored under `cohort:<id>`. Dates are calendar dates (YYYY-MM-DD) in `timeZone`. */
export interface Cohort {
  id: string;
  name: string;
  /** The channel conversation the cohort was created in; its roster is the cohort's roster. */
  channelId: string;
  conversationId: string;
  createdAt: string;
  /** User ids (in `channelId`) allowed to run this cohort besides the configured facilitators. */
  facilitators: string[];
  /** Where facilitators are reached privately (their address from the roster). */
  facilitatorAddresses: Record<string, Record<string, string>>;
  facilitatorNames: Record<string, string>;
  startDate: string;
  dueDate: string;
  timeZone: string;
  language: Language;
  /** Module id → the date it opens. */
  plan: Record<string, string>;
  members: Record<string, CohortMember>;
  /** Roster entries left out, counted for the facilitator. */
  skipped: { bots: number; guests: number };
  /** Set once the welcomes for the start were queued. */
  welcomesQueuedAt?: string;
  /** Set once the facilitator got the delivery report of those welcomes. */
  deliveryReportSentAt?: string;
  updatedAt: string;
}

export const COHORT_PREFIX = 'cohort:';

export function cohortKey(id: string): string {
  return `${COHORT_PREFIX}${id}`;
}

/** The cohort of a channel conversation: `cohort-of-conversation:<channel>:<conversation>`. */
export function conversationCohortKey(channelId: string, conversationId: string): string {
  return `cohort-of-conversation:${channelId}:${conversationId}`;
}

/** The cohorts a person facilitates (newest last), for commands typed in their personal chat. */
export function facilitatingKey(learnerKey: string): string {
  return `cohort-facilitating:${learnerKey}`;
}

export const WELCOME_PREFIX = 'cohort-welcome:';

/** One member's welcome, claimed before sending so that it goes out once across instances and restarts. */
export function welcomeKey(cohortId: string, userId: string): string {
  return `${WELCOME_PREFIX}${cohortId}:${userId}`;
}

export type WelcomeState = 'pending' | 'sending' | 'sent' | 'unreachable';

export interface WelcomeDocument {
  cohortId: string;
  userId: string;
  state: WelcomeState;
  /** Why it could not be delivered: the channel's answer, or "interrupted" (the service stopped mid-send). */
  reason?: 'not-installed' | 'blocked' | 'left' | 'failed' | 'interrupted';
  attempts: number;
  /** Not before this instant (Retry-After, backoff). */
  nextAttemptAt: string;
  /** While "sending": the claim expires here. */
  claimedUntil?: string;
  updatedAt: string;
}

/** Teams channel message ids ride on the conversation id (";messageid=…"): the cohort belongs to the channel. */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';messageid=')[0];
}
