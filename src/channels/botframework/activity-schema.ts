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

/** Service URLs zod has accepted (a deployment sees a handful, one per region); past this many, all are forgotten. */
const ACCEPTED_SERVICE_URLS = 256;
const acceptedServiceUrls = new Set<string>();

/**
 * incomingActivitySchema.safeParse, with the usual activity checked by hand first: in a busy
 * process zod's generic parsers cost about 40 µs an activity, this check a few. It accepts only
 * what the schema accepts unchanged (every field above of the right type and length, entities
 * well formed, no Teams file, a service URL zod has accepted before) and passes it on as parsed;
 * anything else goes to zod, which decides and words the 400.
 */
export function parseIncomingActivity(json: unknown): z.ZodSafeParseResult<IncomingActivity> {
  if (isUsualActivity(json)) return { success: true, data: json };
  const parsed = incomingActivitySchema.safeParse(json);
  // Only a URL zod kept as it was (it trims one with spaces around it) can be passed on unchanged.
  if (parsed.success && parsed.data.serviceUrl === (json as Fields).serviceUrl) {
    if (acceptedServiceUrls.size >= ACCEPTED_SERVICE_URLS) acceptedServiceUrls.clear();
    acceptedServiceUrls.add(parsed.data.serviceUrl);
  }
  return parsed;
}

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
const optionalText = (v: unknown, max = Number.POSITIVE_INFINITY): boolean => v === undefined || isText(v, 0, max);
const isAccount = (v: unknown): boolean => isObject(v) && isText(v.id, 1, 512) && optionalText(v.name, 512) && optionalText(v.aadObjectId);
const optionalList = (v: unknown, max: number, item: (x: unknown) => boolean): boolean => v === undefined || (Array.isArray(v) && v.length <= max && v.every(item));

function isUsualActivity(a: unknown): a is IncomingActivity {
  if (!isObject(a)) return false;
  const conversation = a.conversation;
  return (
    isText(a.type, 1, 64) &&
    optionalText(a.id, 512) &&
    isText(a.channelId, 1, 64) &&
    typeof a.serviceUrl === 'string' &&
    acceptedServiceUrls.has(a.serviceUrl) &&
    isAccount(a.from) &&
    isAccount(a.recipient) &&
    isObject(conversation) &&
    isText(conversation.id, 1, 1024) &&
    optionalText(conversation.conversationType) &&
    (conversation.isGroup === undefined || typeof conversation.isGroup === 'boolean') &&
    optionalText(conversation.tenantId) &&
    optionalText(a.text) &&
    optionalText(a.locale, 32) &&
    optionalText(a.localTimezone, 64) &&
    optionalText(a.name, 256) &&
    optionalText(a.deliveryMode) &&
    optionalList(a.membersAdded, 1000, isAccount) &&
    optionalList(a.membersRemoved, 1000, isAccount) &&
    optionalList(a.entities, 100, (e) => isObject(e) && typeof e.type === 'string') &&
    optionalList(a.attachments, 50, (x) => isObject(x) && typeof x.contentType === 'string' && x.contentType !== TEAMS_FILE_DOWNLOAD_INFO)
  );
}
