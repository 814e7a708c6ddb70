import type { types, webApi } from '@slack/bolt';
import type { Language } from '../../config/config-schema';
import type { Reply } from '../../intents/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { StoragePort } from '../../ports/storage';
import { listAll, type PersonalDataSource } from '../../core/privacy/personal-data';
import type { RetentionTask } from '../../core/privacy/retention-job';
import { renderBlockKit } from '../../render/block-kit-renderer';
import { uploadAttachedFiles, type AttachmentFiles } from './slack-file-attachments';

export interface SlackTarget {
  channel: string;
  threadTs?: string;
}

export interface MessageLocation {
  channel: string;
  ts: string;
}

/**
 * Posts replies to Slack. A reply that `replaces` an earlier interactive one (an answered
 * quiz question) updates that message with chat.update, so its buttons are gone and the
 * question cannot be answered twice. Where each keyed message lives is kept in storage
 * (`slack-message:<user>:<key>`), so typed answers ("2") update the question too.
 */
export class SlackDelivery {
  constructor(
    private readonly storage: StoragePort,
    private readonly localizer: Localizer,
    private readonly logger: Logger,
    /** Files behind attachment links (a cohort export), uploaded next to the message. */
    private readonly files?: AttachmentFiles,
  ) {}

  async send(client: webApi.WebClient, userId: string, target: SlackTarget, replies: Reply[], lang: Language, pressed?: MessageLocation): Promise<void> {
    const t = this.localizer.forLanguage(lang);
    for (const reply of replies) {
      const message = renderBlockKit(reply, t);
      if (reply.ephemeral) {
        // Only the person who acted sees it ("your vote counted").
        await client.chat.postEphemeral({ channel: target.channel, user: userId, thread_ts: target.threadTs, text: message.text, blocks: message.blocks as types.KnownBlock[] });
        continue;
      }
      // A live card (a poll) replaces the message its button was pressed on, for everyone. It is
      // not remembered under the presser's id: that would record who took part in an anonymous poll.
      if (reply.updatesPressedCard && pressed && (await this.update(client, pressed, message))) continue;
      const previous = reply.replaces ? ((await this.lookup(userId, reply.replaces)) ?? pressed) : undefined;
      if (previous && (await this.update(client, previous, message))) {
        if (reply.key && !reply.updatesPressedCard) await this.remember(userId, reply.key, previous);
        continue;
      }
      const posted = await client.chat.postMessage({ channel: target.channel, thread_ts: target.threadTs, text: message.text, blocks: message.blocks as types.KnownBlock[] });
      if (posted.channel) await uploadAttachedFiles(client, posted.channel, reply, this.files, this.logger);
      if (reply.key && !reply.updatesPressedCard && posted.channel && posted.ts) {
        await this.remember(userId, reply.key, { channel: posted.channel, ts: posted.ts });
        // A card in a channel is also found by the channel (a poll closing on time redraws it; this names nobody).
        if (isChannel(posted.channel)) await this.remember(posted.channel, reply.key, { channel: posted.channel, ts: posted.ts, savedAt: new Date().toISOString() });
      }
    }
  }

  private async update(client: webApi.WebClient, at: MessageLocation, message: ReturnType<typeof renderBlockKit>): Promise<boolean> {
    try {
      await client.chat.update({ channel: at.channel, ts: at.ts, text: message.text, blocks: message.blocks as types.KnownBlock[] });
      return true;
    } catch (err) {
      // The message may have been deleted: post the reply as a new message instead.
      this.logger.warn({ err, channel: at.channel }, 'chat.update failed; posting a new message');
      return false;
    }
  }

  private async lookup(userId: string, key: string): Promise<MessageLocation | undefined> {
    return (await this.storage.read<MessageLocation>(messageKey(userId, key)))?.value;
  }

  private async remember(userId: string, key: string, at: MessageLocation | ChannelCardLocation): Promise<void> {
    try {
      await this.storage.write(messageKey(userId, key), at);
    } catch (err) {
      this.logger.warn({ err }, 'could not remember the Slack message of a keyed reply');
    }
  }
}

const MESSAGE_PREFIX = 'slack-message:';

function messageKey(owner: string, key: string): string {
  return `${MESSAGE_PREFIX}${owner}:${key}`;
}

/** Channels (C…) and private channels or group DMs (G…), as opposed to users. */
const isChannel = (id: string) => /^[CG]/.test(id);

/** A card's place in a channel, with when it was saved: kept for the retention period of discussions. */
interface ChannelCardLocation extends MessageLocation {
  savedAt: string;
}

/**
 * Retention: places of channel cards (needed until a poll closes on time) saved before the cutoff
 * are deleted; the learners' own ones go with the learner.
 */
export function slackChannelCardRetention(storage: StoragePort): RetentionTask {
  return {
    name: 'slackChannelCards',
    period: 'discussionRepliesDays',
    purge: async (cutoff) => {
      const limit = cutoff.toISOString();
      let deleted = 0;
      for (const key of await listAll(storage, MESSAGE_PREFIX)) {
        if (!isChannel(key.slice(MESSAGE_PREFIX.length))) continue;
        const saved = (await storage.read<Partial<ChannelCardLocation>>(key))?.value;
        if (saved && (saved.savedAt ?? '') < limit && (await storage.delete(key))) deleted++;
      }
      return deleted;
    },
  };
}

/** Where a keyed card posted in a channel is (see SlackDelivery.send). */
export async function channelCardLocation(storage: StoragePort, channel: string, key: string): Promise<MessageLocation | undefined> {
  return (await storage.read<MessageLocation>(messageKey(channel, key)))?.value;
}

/** Where a native-Slack learner's interactive messages are (channel and timestamp): erased with the learner. */
export function slackMessageSource(storage: StoragePort): PersonalDataSource {
  const keysOf = (userId: string) => listAll(storage, messageKey(userId, ''));
  return {
    name: 'slackMessages',
    labelKey: 'privacy:sections.slackMessages',
    export: async (subject) => {
      if (subject.channelId !== 'slack') return undefined;
      const keys = await keysOf(subject.userId);
      return { count: keys.length, data: keys.map((k) => k.slice(messageKey(subject.userId, '').length)) };
    },
    erase: async (subject) => {
      if (subject.channelId !== 'slack') return 0;
      let deleted = 0;
      for (const key of await keysOf(subject.userId)) if (await storage.delete(key)) deleted++;
      return deleted;
    },
  };
}
