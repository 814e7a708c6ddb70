import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { learnerKey } from '../../core/learner';
import { StorageConflictError, type StoragePort } from '../../ports/storage';
import { listAll, type PersonalDataSource } from '../../core/privacy/personal-data';
import { learnerUserIdOf, scopeOf } from './activity-to-turn';

export interface StoredConversationReference {
  reference: Partial<ConversationReference>;
  scope: 'personal' | 'group' | 'channel';
  /** False once the channel said the bot can no longer post there (uninstalled, blocked). */
  active: boolean;
  inactiveReason?: string;
  updatedAt: string;
}

interface StoredCardActivity {
  activityId: string;
  updatedAt: string;
}

/** The learner's one-to-one conversation: `convref:learner:<channel>:<user>`. */
export function learnerReferenceKey(learner: string): string {
  return `convref:${learner}`;
}

/** A group chat or channel conversation: `convref:conversation:<channel>:<conversation>`. */
export function conversationReferenceKey(channelId: string, conversationId: string): string {
  return `convref:conversation:${channelId}:${conversationId}`;
}

function cardKey(channelId: string, conversationId: string, key: string): string {
  return `cardref:${channelId}:${conversationId}:${key}`;
}

const WRITE_ATTEMPTS = 3;

/** Conversations whose last saved reference this instance remembers (see save). */
const REFERENCES_REMEMBERED = 50_000;

/**
 * Durable conversation references (for proactive messages) and the activity ids of cards
 * that later replies may replace. Writes only when something changed, so ordinary messages
 * do not cost a storage write each.
 */
export class ConversationReferenceStore {
  private readonly lastSaved = new Map<string, string>();

  constructor(private readonly storage: StoragePort) {}

  /** Stores (or refreshes) the reference of the conversation an activity belongs to. */
  async remember(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const scope = scopeOf(activity);
    const removed = isBotRemoval(activity);
    const reference = TurnContext.getConversationReference(activity);
    delete reference.activityId;
    // A Teams channel message's conversation id names its thread (";messageid=…"); keep the channel.
    if (scope === 'channel' && reference.conversation) reference.conversation = { ...reference.conversation, id: channelConversationId(reference.conversation.id) };
    const key = scope === 'personal' ? learnerReferenceKey(learnerKey(activity.channelId, learnerUserIdOf(activity))) : conversationReferenceKey(activity.channelId, reference.conversation!.id);
    await this.save(key, reference, scope, removed);
  }

  /**
   * Stores the one-to-one conversation the bot opened for someone who asked for something personal
   * in a group or channel, as their personal chat: reminders reach them there without their ever
   * having written to the bot directly.
   */
  async rememberOpened(origin: Activity, conversation: { id: string; tenantId?: string }): Promise<void> {
    const reference = TurnContext.getConversationReference(origin);
    delete reference.activityId;
    reference.conversation = { id: conversation.id, isGroup: false, conversationType: 'personal', name: '', ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}) };
    await this.save(learnerReferenceKey(learnerKey(origin.channelId, learnerUserIdOf(origin))), reference, 'personal', false);
  }

  private async save(key: string, reference: Partial<ConversationReference>, scope: StoredConversationReference['scope'], removed: boolean): Promise<void> {
    const doc: StoredConversationReference = {
      reference,
      scope,
      active: !removed,
      ...(removed ? { inactiveReason: 'removed' } : {}),
      updatedAt: new Date().toISOString(),
    };
    const fingerprint = JSON.stringify([reference.serviceUrl, reference.conversation?.id, reference.bot?.id, doc.active]);
    if (this.lastSaved.get(key) === fingerprint) return;
    await this.storage.write(key, doc);
    // One entry per conversation seen: bounded, so memory does not grow with the cohort (a forgotten one costs one more write).
    if (this.lastSaved.size >= REFERENCES_REMEMBERED) this.lastSaved.clear();
    this.lastSaved.set(key, fingerprint);
  }

  read(key: string): Promise<StoredConversationReference | undefined> {
    return this.storage.read<StoredConversationReference>(key).then((d) => d?.value);
  }

  /** Marks a reference unusable (403/404 from the channel) so nobody retries it forever. */
  async markInactive(key: string, reason: string): Promise<void> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const stored = await this.storage.read<StoredConversationReference>(key);
      if (!stored) return;
      try {
        await this.storage.write(key, { ...stored.value, active: false, inactiveReason: reason, updatedAt: new Date().toISOString() }, { ifMatch: stored.etag });
        this.lastSaved.delete(key);
        return;
      } catch (err) {
        if (!(err instanceof StorageConflictError) || attempt === WRITE_ATTEMPTS) throw err;
      }
    }
  }

  /**
   * A learner's personal conversation reference and the card ids kept for it: exported, and
   * erased with the learner (this instance also forgets it has saved the reference).
   */
  personalDataSource(): PersonalDataSource {
    return {
      name: 'conversationReferences',
      labelKey: 'privacy:sections.conversationReferences',
      export: async (subject) => {
        const stored = await this.read(learnerReferenceKey(subject.learnerKey));
        return stored ? { count: 1, data: stored } : undefined;
      },
      erase: async (subject) => {
        const key = learnerReferenceKey(subject.learnerKey);
        const stored = await this.read(key);
        let deleted = 0;
        const conversationId = stored?.reference.conversation?.id;
        if (conversationId) {
          for (const cardRef of await listAll(this.storage, cardKey(subject.channelId, conversationId, ''))) if (await this.storage.delete(cardRef)) deleted++;
        }
        if (await this.storage.delete(key)) deleted++;
        this.lastSaved.delete(key);
        // A group or channel reference names whoever wrote there last: drop the learner from it.
        for (const groupKey of await listAll(this.storage, 'convref:conversation:')) {
          const doc = await this.storage.read<StoredConversationReference>(groupKey);
          const user = doc?.value.reference?.user;
          if (!doc || !user || (user.id !== subject.userId && user.aadObjectId !== subject.userId && !user.id?.startsWith(`${subject.userId}:`))) continue;
          const { user: _learner, ...reference } = doc.value.reference;
          await this.storage.write(groupKey, { ...doc.value, reference }, { ifMatch: doc.etag });
          this.lastSaved.delete(groupKey);
          deleted++;
        }
        return deleted;
      },
    };
  }

  async saveCardActivity(channelId: string, conversationId: string, key: string, activityId: string): Promise<void> {
    const doc: StoredCardActivity = { activityId, updatedAt: new Date().toISOString() };
    await this.storage.write(cardKey(channelId, conversationId, key), doc);
  }

  async cardActivityId(channelId: string, conversationId: string, key: string): Promise<string | undefined> {
    return (await this.storage.read<StoredCardActivity>(cardKey(channelId, conversationId, key)))?.value.activityId;
  }
}

function channelConversationId(id: string): string {
  return id.split(';messageid=')[0];
}

function isBotRemoval(activity: Activity): boolean {
  if (activity.type === 'installationUpdate') return activity.action === 'remove' || activity.action === 'remove-upgrade';
  if (activity.type === 'conversationUpdate') return (activity.membersRemoved ?? []).some((m) => m.id === activity.recipient?.id);
  return false;
}
