import { z } from 'zod';
import { describeSchemaProblems } from '../http/schema-problems';

/**
 * The fields govai-coach needs from an incoming Bot Framework activity. Unknown fields pass
 * through untouched; a missing required field is a 400 with the field's path.
 */
const account = z.object({ id: z.string().min(1).max(512), name: z.string().max(512).optional(), aadObjectId: z.string().optional() }).passthrough();

/** A file a person attached in Teams (a CSV for `cohort enrol`): where the bot may download it. */
export const TEAMS_FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
export const teamsFileAttachmentSchema = z
  .object({
    contentType: z.literal(TEAMS_FILE_DOWNLOAD_INFO),
    name: z.string().min(1).max(256),
    content: z
      .object({
        downloadUrl: z.string().url().max(4096),
        uniqueId: z.string().max(256).optional(),
        fileType: z.string().max(32),
      })
      .passthrough(),
  })
  .passthrough();
export type TeamsFileAttachment = z.infer<typeof teamsFileAttachmentSchema>;

/** Any attachment; a file.download.info one must be complete, or the activity is a 400 naming the field. */
const attachment = z
  .object({ contentType: z.string() })
  .passthrough()
  .superRefine((value, ctx) => {
    if (value.contentType !== TEAMS_FILE_DOWNLOAD_INFO) return;
    const parsed = teamsFileAttachmentSchema.safeParse(value);
    for (const issue of parsed.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048),
    from: account,
    recipient: account,
    conversation: z.object({ id: z.string().min(1).max(1024), conversationType: z.string().optional(), isGroup: z.boolean().optional(), tenantId: z.string().optional() }).passthrough(),
    text: z.string().optional(),
    locale: z.string().max(32).optional(),
    localTimezone: z.string().max(64).optional(),
    name: z.string().max(256).optional(),
    value: z.unknown().optional(),
    deliveryMode: z.string().optional(),
    // A roster change is meaningless without its members: a wrong type is a precise 400.
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
    // Entities are hints (mentions, client locale): malformed ones are dropped and the message is still answered.
    entities: z
      .array(z.object({ type: z.string() }).passthrough())
      .max(100)
      .optional()
      .catch(undefined),
    attachments: z.array(attachment).max(50).optional(),
  })
  .passthrough();

export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

/** "from.id: Required"-style messages, safe to return to the caller. */
export function describeActivityProblems(error: z.ZodError): string {
  return describeSchemaProblems(error, 'activity');
}
