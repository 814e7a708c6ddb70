import { z } from 'zod';
import type { Logger } from '../../logging/logger';
import type { UploadedFile } from '../../ports/uploads';
import { downloadText } from '../http/bounded-download';
import { hostMatches } from '../botframework/service-url-policy';

/** What we read of a file object in a Slack message event (files[]). */
const slackFileSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().max(256).optional(),
    title: z.string().max(256).optional(),
    filetype: z.string().max(32).optional(),
    mimetype: z.string().max(128).optional(),
    url_private_download: z.string().url().max(4096),
  })
  .passthrough();

/** Slack serves workspace files from files.slack.com (and regional *.slack.com hosts). */
const SLACK_FILE_HOSTS = ['files.slack.com', '*.slack.com'];

/**
 * The first file of a message event, read on demand with the bot token. The token only goes
 * over https to Slack's own hosts, or to the Web API host the operator configured
 * (SLACK_API_URL: a local stand-in in tests); a file Slack described incompletely is a
 * download failure the person is told about.
 */
export function slackUpload(files: unknown[] | undefined, options: { token: string; apiUrl: string; logger: Logger }): UploadedFile | undefined {
  if (!files?.length) return undefined;
  const parsed = slackFileSchema.safeParse(files[0]);
  const raw = files[0] as { name?: unknown } | null;
  const fallbackName = typeof raw?.name === 'string' ? raw.name.slice(0, 256) : 'file';
  if (!parsed.success) {
    options.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'Slack file failed validation');
    return { name: fallbackName, read: async () => ({ ok: false, failure: 'download-failed' }) };
  }
  const file = parsed.data;
  const name = file.name ?? file.title ?? file.id;
  const apiOrigin = new URL(options.apiUrl).origin;
  const allowed = (url: URL): boolean =>
    url.origin === apiOrigin || (url.protocol === 'https:' && !url.username && !url.password && SLACK_FILE_HOSTS.some((pattern) => hostMatches(url.hostname.toLowerCase(), pattern)));
  return {
    name,
    read: async () => {
      const csv = file.filetype === 'csv' || file.mimetype === 'text/csv' || name.toLowerCase().endsWith('.csv');
      if (!csv) return { ok: false, failure: 'not-csv' };
      return downloadText(file.url_private_download, { allowed, headers: { authorization: `Bearer ${options.token}` }, logger: options.logger });
    },
  };
}
