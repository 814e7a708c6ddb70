import { TeamsInfo, TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { learnerKey } from '../../../core/learner';
import type { Reply } from '../../../intents/reply';
import type { Logger } from '../../../logging/logger';
import type { CohortChannelPort, DeliveryResult, RosterFailure, RosterMember, RosterResult } from '../../../ports/cohort-channels';
import type { StoragePort } from '../../../ports/storage';
import { conversationReferenceKey, learnerReferenceKey, type ConversationReferenceStore, type StoredConversationReference } from '../conversation-references';
import { parseRetryAfter, type BotFrameworkProactiveSender } from '../proactive-sender';

const TEAMS = 'msteams';
/** The connector's audience for calls from the bot to the channel. */
const BOT_TO_CHANNEL_AUDIENCE = 'https://api.botframework.com';
const PAGE_SIZE = 100;

/** A roster entry as the connector returns it (TeamsChannelAccount); validated before use. */
const teamsMemberSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
  email: z.string().optional(),
  userPrincipalName: z.string().optional(),
  userRole: z.string().optional(),
  tenantId: z.string().optional(),
});

interface ConnectorError {
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/**
 * Teams side of the cohort port: the channel roster through the connector
 * (TeamsInfo.getPagedMembers, page by page) and personal chats created with the tenant id
 * for people who never wrote to the bot; the message itself goes through the proactive
 * sender, which waits out 429s (Retry-After) and marks gone conversations.
 */
export class TeamsCohortChannel implements CohortChannelPort {
  constructor(
    private readonly options: {
      adapter: CloudAdapter;
      appId: string;
      storage: StoragePort;
      references: ConversationReferenceStore;
      proactive: BotFrameworkProactiveSender;
      logger: Logger;
    },
  ) {}

  async roster(conversationId: string): Promise<RosterResult> {
    const { adapter, appId, references, logger } = this.options;
    // Stored by the bot logic from the very message that asked for the roster.
    const stored = await references.read(conversationReferenceKey(TEAMS, conversationId));
    if (!stored) return { ok: false, failure: 'not-found' };
    const members: RosterMember[] = [];
    try {
      // The adapter hands errors thrown in the callback to its onTurnError and resolves: keep ours.
      let failure: unknown;
      await adapter.continueConversationAsync(appId, stored.reference, async (context) => {
        try {
          let token: string | undefined;
          do {
            const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
            for (const raw of page.members ?? []) members.push(rosterMember(raw, stored.reference));
            token = page.continuationToken || undefined;
          } while (token);
        } catch (err) {
          failure = err;
        }
      });
      if (failure) throw failure;
      return { ok: true, members };
    } catch (err) {
      const status = (err as ConnectorError).statusCode;
      if (err instanceof z.ZodError) logger.warn({ issues: err.issues.slice(0, 3) }, 'Teams roster entry failed validation');
      else logger.warn({ err, status }, 'Teams roster call failed');
      return { ok: false, failure: rosterFailure(status), ...(status ? { status } : {}) };
    }
  }

  async lookup(conversationId: string, emailOrUpn: string): Promise<{ ok: true; member?: RosterMember } | { ok: false; failure: RosterFailure }> {
    const { adapter, appId, references, logger } = this.options;
    const stored = await references.read(conversationReferenceKey(TEAMS, conversationId));
    if (!stored) return { ok: false, failure: 'not-found' };
    let member: RosterMember | undefined;
    let failure: unknown;
    // Teams resolves a UPN (or e-mail) as the member id within the team of this channel.
    await adapter.continueConversationAsync(appId, stored.reference, async (context) => {
      try {
        member = rosterMember(await TeamsInfo.getMember(context, emailOrUpn), stored.reference);
      } catch (err) {
        failure = err;
      }
    });
    if (!failure) return { ok: true, member };
    const status = (failure as ConnectorError).statusCode;
    if (status === 404) return { ok: true };
    logger.warn({ status }, 'Teams member lookup failed');
    return { ok: false, failure: rosterFailure(status) };
  }

  /** Members who joined later (conversationUpdate membersAdded): their details come from the live turn. */
  async joinedMembers(context: TurnContext): Promise<RosterMember[]> {
    const reference = TurnContext.getConversationReference(context.activity);
    const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
    const out: RosterMember[] = [];
    for (const m of joined) out.push(rosterMember(await TeamsInfo.getMember(context, m.id), reference));
    return out;
  }

  async sendPersonal(person: { userId: string; address: Record<string, string> }, replies: Reply[]): Promise<DeliveryResult> {
    const { references, proactive } = this.options;
    const key = learnerReferenceKey(learnerKey(TEAMS, person.userId));
    const known = await references.read(key);
    if (known && !known.active) return { outcome: inactiveOutcome(known.inactiveReason) };
    let reference = known?.reference;
    if (!reference) {
      const created = await this.createPersonalConversation(person);
      if ('outcome' in created) return created;
      reference = created.reference;
    }
    const sent = await proactive.sendToReference(reference, replies);
    if (sent.result === 'sent') return { outcome: 'sent' };
    if (sent.gone) {
      await references.markInactive(key, `http_${sent.status}`);
      return { outcome: sent.status === 404 ? 'left' : 'blocked' };
    }
    return { outcome: sent.result === 'throttled' ? 'throttled' : 'failed' };
  }

  async sendToConversation(conversationId: string, replies: Reply[]): Promise<DeliveryResult> {
    const outcome = await this.options.proactive.sendToStored(conversationReferenceKey(TEAMS, conversationId), replies);
    if (outcome === 'sent') return { outcome: 'sent' };
    if (outcome === 'no-conversation' || outcome === 'inactive') return { outcome: 'not-installed' };
    return { outcome: outcome === 'throttled' ? 'throttled' : 'failed' };
  }

  /** Creates (or gets back: Teams keeps one per person) the bot's personal chat with someone, and stores its reference. */
  private async createPersonalConversation(person: { userId: string; address: Record<string, string> }): Promise<{ reference: Partial<ConversationReference> } | DeliveryResult> {
    const { adapter, appId, storage, logger } = this.options;
    const { id, tenantId, serviceUrl, botId } = person.address;
    if (!id || !serviceUrl) return { outcome: 'not-installed' };
    let conversationId: string | undefined;
    try {
      await adapter.createConversationAsync(
        appId,
        TEAMS,
        serviceUrl,
        BOT_TO_CHANNEL_AUDIENCE,
        { isGroup: false, bot: { id: botId ?? appId, name: '' }, members: [{ id, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
        async (context) => {
          conversationId = context.activity.conversation?.id;
        },
      );
    } catch (err) {
      const e = err as ConnectorError;
      logger.info({ status: e.statusCode }, 'could not create a personal chat');
      if (e.statusCode === 403) return { outcome: 'not-installed' };
      if (e.statusCode === 404) return { outcome: 'left' };
      if (e.statusCode === 429) {
        const header = e.response?.headers?.get?.('retry-after');
        return { outcome: 'throttled', ...(header ? { retryAfterMs: parseRetryAfter(header) } : {}) };
      }
      return { outcome: 'failed' };
    }
    if (!conversationId) return { outcome: 'failed' };
    const reference: Partial<ConversationReference> = {
      channelId: TEAMS,
      serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal', tenantId, isGroup: false, name: '' },
      bot: { id: botId ?? appId, name: '' },
      user: { id, name: '', aadObjectId: person.userId },
    };
    const doc: StoredConversationReference = { reference, scope: 'personal', active: true, updatedAt: new Date().toISOString() };
    await storage.write(learnerReferenceKey(learnerKey(TEAMS, person.userId)), doc);
    return { reference };
  }
}

function rosterMember(raw: unknown, reference: Partial<ConversationReference>): RosterMember {
  const m = teamsMemberSchema.parse(raw);
  // Bots have 28: ids; Teams marks guests (other tenants' users) with userRole "guest".
  const kind = m.id.startsWith('28:') ? 'bot' : m.userRole?.toLowerCase() === 'guest' ? 'guest' : 'person';
  const tenantId = m.tenantId ?? reference.conversation?.tenantId ?? '';
  return {
    userId: m.aadObjectId ?? m.id,
    ...(m.name ? { name: m.name } : {}),
    ...((m.userPrincipalName ?? m.email) ? { email: (m.userPrincipalName ?? m.email)! } : {}),
    kind,
    address: { id: m.id, tenantId, serviceUrl: reference.serviceUrl ?? '', botId: reference.bot?.id ?? '' },
  };
}

function rosterFailure(status: number | undefined): RosterFailure {
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  return 'unavailable';
}

function inactiveOutcome(reason: string | undefined): DeliveryResult['outcome'] {
  if (reason === 'removed') return 'not-installed';
  return reason === 'http_404' ? 'left' : 'blocked';
}
