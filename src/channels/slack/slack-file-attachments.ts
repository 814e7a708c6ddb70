import type { webApi } from '@slack/bolt';
import type { Reply, ReplyAttachment } from '../../intents/reply';
import type { Logger } from '../../logging/logger';

/** The file behind a reply's attachment link, when this server made the link (a cohort export); undefined otherwise. */
export type AttachmentFiles = (attachment: ReplyAttachment) => Promise<{ fileName: string; csv: string } | undefined>;

/**
 * Puts a reply's CSV attachments into the Slack conversation itself (files.uploadV2), next to
 * the message that links them, so the facilitator keeps the file after the link expires. A
 * failed upload (say, the files:write scope is missing) leaves the message and its link.
 */
export async function uploadAttachedFiles(client: webApi.WebClient, channel: string, reply: Reply, files: AttachmentFiles | undefined, logger: Logger, token?: string): Promise<void> {
  if (!files) return;
  for (const attachment of reply.attachments ?? []) {
    if (attachment.contentType !== 'text/csv') continue;
    try {
      const file = await files(attachment);
      if (file) await client.filesUploadV2({ ...(token ? { token } : {}), channel_id: channel, file: Buffer.from(file.csv, 'utf8'), filename: file.fileName, title: attachment.name });
    } catch (err) {
      logger.warn({ err }, 'could not upload the file to Slack; the message keeps its download link');
    }
  }
}
