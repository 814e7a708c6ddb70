import type { types, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Reply } from '../../intents/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { CohortChannelPort, DeliveryResult, RosterFailure, RosterMember, RosterResult } from '../../ports/cohort-channels';
import { renderBlockKit } from '../../render/block-kit-renderer';
import { uploadAttachedFiles, type AttachmentFiles } from './slack-file-attachments';

const PAGE_SIZE = 200;

/** What we read of conversations.members and users.info; validated before use. */
const membersPageSchema = z
  .object({
    ok: z.literal(true),
    members: z.array(z.string().min(1).max(64)).default([]),
    response_metadata: z.object({ next_cursor: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
const userSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    real_name: z.string().optional(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    is_app_user: z.boolean().optional(),
    /** Multi- and single-channel guests. */
    is_restricted: z.boolean().optional(),
    is_ultra_restricted: z.boolean().optional(),
    profile: z.object({ email: z.string().optional(), real_name: z.string().optional(), display_name: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
const openSchema = z.object({ ok: z.literal(true), channel: z.object({ id: z.string().min(1) }).passthrough() }).passthrough();

/** Slack answers meaning this person cannot be messaged any more. */
const GONE = new Set(['user_not_found', 'account_inactive', 'user_disabled', 'users_not_found']);
const BLOCKED = new Set(['cannot_dm_bot', 'messages_tab_disabled', 'not_allowed_token_type']);

/**
 * Native Slack side of the cohort port: the channel's members (conversations.members, paged,
 * then users.info for names, e-mails, bots and guests) and personal messages through
 * conversations.open + chat.postMessage. The Web API client waits out 429s (Retry-After) itself.
 */
export class SlackCohortChannel implements CohortChannelPort {
  constructor(
    private readonly client: () => webApi.WebClient,
    private readonly token: string,
    private readonly localizer: Localizer,
    private readonly logger: Logger,
    /** Files behind attachment links (a cohort export), uploaded into the personal chat too. */
    private readonly files?: AttachmentFiles,
  ) {}

  async roster(conversationId: string): Promise<RosterResult> {
    try {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = membersPageSchema.parse(await this.client().conversations.members({ token: this.token, channel: conversationId, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
        ids.push(...page.members);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      const members: RosterMember[] = [];
      for (const id of ids) {
        const member = await this.member(id);
        if (member) members.push(member);
      }
      return { ok: true, members };
    } catch (err) {
      if (err instanceof z.ZodError) {
        this.logger.warn({ issues: err.issues.slice(0, 3) }, 'Slack roster answer failed validation');
        return { ok: false, failure: 'unavailable' };
      }
      const code = slackErrorOf(err);
      this.logger.warn({ err, code }, 'Slack roster call failed');
      return { ok: false, failure: rosterFailure(code) };
    }
  }

  async lookup(_conversationId: string, email: string): Promise<{ ok: true; member?: RosterMember } | { ok: false; failure: RosterFailure }> {
    try {
      const found = userSchema.parse((await this.client().users.lookupByEmail({ token: this.token, email })).user);
      return { ok: true, member: await this.member(found.id) };
    } catch (err) {
      const code = slackErrorOf(err);
      if (code === 'users_not_found') return { ok: true };
      this.logger.warn({ code }, 'Slack users.lookupByEmail failed');
      return { ok: false, failure: err instanceof z.ZodError ? 'unavailable' : rosterFailure(code) };
    }
  }

  /** One person's roster entry (users.info), or undefined for a deactivated account. Throws what the Web API throws. */
  async member(userId: string): Promise<RosterMember | undefined> {
    const user = userSchema.parse((await this.client().users.info({ token: this.token, user: userId })).user);
    if (user.deleted) return undefined;
    const kind = user.is_bot || user.is_app_user || user.id === 'USLACKBOT' ? 'bot' : user.is_restricted || user.is_ultra_restricted ? 'guest' : 'person';
    const name = user.real_name || user.profile?.real_name || user.profile?.display_name || user.name;
    return { userId: user.id, ...(name ? { name } : {}), ...(user.profile?.email ? { email: user.profile.email } : {}), kind, address: {} };
  }

  sendPersonal(person: { userId: string }, replies: Reply[]): Promise<DeliveryResult> {
    return this.post(async () => openSchema.parse(await this.client().conversations.open({ token: this.token, users: person.userId })).channel.id, replies);
  }

  sendToConversation(conversationId: string, replies: Reply[]): Promise<DeliveryResult> {
    return this.post(async () => conversationId, replies);
  }

  private async post(channel: () => Promise<string>, replies: Reply[]): Promise<DeliveryResult> {
    if (!replies.length) return { outcome: 'sent' };
    const t = this.localizer.forLanguage(replies[0].lang);
    try {
      const target = await channel();
      for (const reply of replies) {
        const message = renderBlockKit(reply, t);
        await this.client().chat.postMessage({ token: this.token, channel: target, text: message.text, blocks: message.blocks as types.KnownBlock[] });
        await uploadAttachedFiles(this.client(), target, reply, this.files, this.logger, this.token);
      }
      return { outcome: 'sent' };
    } catch (err) {
      const code = slackErrorOf(err);
      if (code && GONE.has(code)) return { outcome: 'left' };
      if (code && BLOCKED.has(code)) return { outcome: 'blocked' };
      if (code === 'ratelimited') return { outcome: 'throttled', ...retryAfterOf(err) };
      this.logger.warn({ err, code }, 'Slack personal message failed');
      return { outcome: 'failed' };
    }
  }
}

function slackErrorOf(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  if (e.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  return e.data?.error;
}

function retryAfterOf(err: unknown): { retryAfterMs?: number } {
  const seconds = (err as { retryAfter?: number }).retryAfter;
  return typeof seconds === 'number' ? { retryAfterMs: seconds * 1000 } : {};
}

function rosterFailure(code: string | undefined): RosterFailure {
  if (code === 'channel_not_found') return 'not-found';
  if (code === 'not_in_channel' || code === 'missing_scope' || code === 'invalid_auth' || code === 'not_authed') return 'forbidden';
  if (code === 'ratelimited') return 'throttled';
  return 'unavailable';
}
