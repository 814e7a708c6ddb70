import type { Logger } from '../../../logging/logger';
import type { UploadedFile } from '../../../ports/uploads';
import { downloadText } from '../../http/bounded-download';
import { isLoopbackHost } from '../../http/loopback';
import { teamsFileAttachmentSchema, type TeamsFileAttachment } from '../activity-schema';
import { hostMatches, type ServiceUrlPolicy } from '../service-url-policy';

/** Where Teams keeps files sent in chats and channels (OneDrive and SharePoint, in every Microsoft cloud) and Graph. */
const TEAMS_FILE_HOSTS = ['*.sharepoint.com', '*.sharepoint.us', '*.sharepoint-mil.us', '*.sharepoint.de', '*.sharepoint.cn', 'graph.microsoft.com'];

/**
 * A file attached in Teams (file.download.info), read on demand: https on a SharePoint or
 * Graph host only, or a loopback URL the operator listed in LOCAL_SERVICE_URLS (a local
 * stand-in), so an activity cannot make the bot fetch from any other host (SSRF).
 */
export function teamsUpload(attachment: TeamsFileAttachment, serviceUrls: ServiceUrlPolicy, logger: Logger): UploadedFile {
  const allowed = (url: URL): boolean => {
    if (serviceUrls.listedLocally(url.href)) return true;
    if (url.protocol !== 'https:' || url.username || url.password || isLoopbackHost(url.hostname)) return false;
    return TEAMS_FILE_HOSTS.some((pattern) => hostMatches(url.hostname.toLowerCase(), pattern));
  };
  return {
    name: attachment.name,
    read: async () => {
      if (attachment.content.fileType.toLowerCase() !== 'csv' || !attachment.name.toLowerCase().endsWith('.csv')) return { ok: false, failure: 'not-csv' };
      return downloadText(attachment.content.downloadUrl, { allowed, logger });
    },
  };
}

/** The first file.download.info attachment of an activity (the schema already checked it). */
export function teamsFileOf(attachments: unknown): TeamsFileAttachment | undefined {
  if (!Array.isArray(attachments)) return undefined;
  for (const a of attachments) {
    const parsed = teamsFileAttachmentSchema.safeParse(a);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}
