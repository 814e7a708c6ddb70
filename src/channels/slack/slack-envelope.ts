import { z } from 'zod';

/**
 * The outer shape of each Slack request family, checked before Bolt sees it: Bolt reads these
 * fields without checking their types, so a signed request with, say, `"event": true` or
 * `"user": null` made it throw (HTTP 500). Only what Bolt and our handlers dereference is
 * required; everything else passes through as Slack sent it.
 */
const object = z.object({}).passthrough();
/** Slack's user, channel and team ids: upper-case letters and digits ("U024BE7LH", "C1H9RESGL"). */
const slackId = z.string().regex(/^[A-Z0-9]{1,64}$/, 'expected a Slack id');

const eventCallback = z
  .object({
    type: z.literal('event_callback'),
    event_id: z.string().min(1).max(128),
    event_time: z.number().optional(),
    team_id: z.string().max(64).optional(),
    authorizations: z.array(object).optional(),
    event: z.object({ type: z.string().min(1).max(128), channel: z.union([z.string(), object]).optional(), item: object.optional(), user: z.union([z.string(), object]).optional() }).passthrough(),
  })
  .passthrough();

/** Other Events API envelopes (app_rate_limited, …) carry no event for Bolt to route. */
const otherEnvelope = z.object({ type: z.string().min(1).max(128) }).passthrough();

const interaction = z
  .object({
    type: z.string().min(1).max(128),
    user: z.object({ id: slackId }).passthrough(),
    // Org-wide installs send team and enterprise as null.
    team: object.nullable().optional(),
    enterprise: object.nullable().optional(),
    channel: object.optional(),
    container: object.optional(),
    message: object.optional(),
    view: object.optional(),
    actions: z.array(object).optional(),
    response_urls: z.array(object).optional(),
  })
  .passthrough();

const slashCommand = z.object({ command: z.string().min(1).max(128), user_id: slackId, channel_id: slackId, team_id: z.string().max(64).optional(), text: z.string().optional() }).passthrough();

/** Events are JSON, interactions a form with a JSON `payload`, slash commands a plain form. */
export type SlackRequestFamily = 'event' | 'interaction' | 'command';

export function slackEnvelopeSchema(body: Record<string, unknown>, family: SlackRequestFamily): z.ZodType<Record<string, unknown>> {
  if (family === 'interaction') return interaction;
  if (family === 'command') return slashCommand;
  return body.type === 'event_callback' ? eventCallback : otherEnvelope;
}
