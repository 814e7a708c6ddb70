import type { Reply } from '../intents/reply';

/**
 * What the cohort feature needs from a channel (Teams, Slack): the members of a channel
 * conversation and a way to reach one of them in a personal chat, even one who never wrote
 * to the bot. Each channel implements it at the edge; the core never sees connector calls.
 */
export interface RosterMember {
  /** The id the learner is keyed by in this channel (Teams: Entra object id; Slack: user id). */
  userId: string;
  name?: string;
  /** E-mail or UPN, when the channel gives one. */
  email?: string;
  kind: 'person' | 'bot' | 'guest';
  /** What the channel needs to open a personal chat with this person (Teams: the 29: id, tenant and service URL). */
  address: Record<string, string>;
}

export type RosterFailure = 'forbidden' | 'not-found' | 'throttled' | 'unavailable';

export type RosterResult = { ok: true; members: RosterMember[] } | { ok: false; failure: RosterFailure; status?: number };

/**
 * Result of a personal message: reached, or why not. "not-installed": the bot is not installed
 * for that person; "blocked": they blocked the bot; "left": they left the organisation or channel.
 */
export type PersonalDelivery = 'sent' | 'not-installed' | 'blocked' | 'left' | 'throttled' | 'failed';

export interface DeliveryResult {
  outcome: PersonalDelivery;
  /** For "throttled": how long the channel asked us to wait. */
  retryAfterMs?: number;
}

export interface CohortChannelPort {
  /** Every member of a channel conversation, paged through by the adapter. */
  roster(conversationId: string): Promise<RosterResult>;
  /** A person by e-mail or UPN, as that channel knows them (for enrolling a pasted list); member undefined when unknown. */
  lookup(conversationId: string, emailOrUpn: string): Promise<{ ok: true; member?: RosterMember } | { ok: false; failure: RosterFailure }>;
  /** Sends replies to one person's personal chat with the bot, creating that chat when needed. */
  sendPersonal(person: { userId: string; address: Record<string, string> }, replies: Reply[]): Promise<DeliveryResult>;
  /** Posts to a channel conversation the bot is in (the experts channel). */
  sendToConversation(conversationId: string, replies: Reply[]): Promise<DeliveryResult>;
}
