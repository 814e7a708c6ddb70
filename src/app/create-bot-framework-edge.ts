import type { TurnContext } from 'botbuilder';
import type { AppConfig } from '../config/config';
import type { Coach } from '../core/coach';
import type { Localizer } from '../i18n/i18n';
import type { Logger } from '../logging/logger';
import type { StoragePort } from '../ports/storage';
import { submitCardRenderer, teamsCardRenderer } from '../render/adaptive-card-renderer';
import { ActivityRendererRegistry } from '../channels/botframework/activity-renderer';
import { createBotAuthentication } from '../channels/botframework/bot-authentication';
import { createBotLogic } from '../channels/botframework/bot-logic';
import { ConversationReferenceStore } from '../channels/botframework/conversation-references';
import { BotFrameworkProactiveSender } from '../channels/botframework/proactive-sender';
import { createCardActionInvokeHandler } from '../channels/botframework/teams/card-action-invoke';
import { createTeamsDeliverer } from '../channels/botframework/teams/teams-deliverer';
import { ValidatedCloudAdapter } from '../channels/botframework/validated-cloud-adapter';
import { slackActivityRenderer } from '../channels/slack/slack-activity-renderer';

export interface BotFrameworkEdge {
  adapter: ValidatedCloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** Proactive messages to learners and groups reached through Bot Framework channels. */
  proactive: BotFrameworkProactiveSender;
}

/**
 * The Bot Framework edge (Teams, Slack through Azure, Web Chat): per-channel renderers, the
 * authenticating adapter, conversation references for proactive messages, Teams universal
 * actions and card updates.
 */
export function createBotFrameworkEdge(deps: { config: AppConfig; coach: Coach; localizer: Localizer; storage: StoragePort; logger: Logger }): BotFrameworkEdge {
  const { config, coach, localizer, logger } = deps;
  const renderers = new ActivityRendererRegistry()
    .set(['msteams'], teamsCardRenderer)
    // Slack through Azure Bot Service: Block Kit in channelData, never Adaptive Cards (Azure turns those into public images).
    .set(['slack'], slackActivityRenderer)
    // Local web chat (Direct Line): the same cards as Teams, with Action.Submit buttons.
    .set(['webchat', 'directline'], submitCardRenderer);
  const adapter = new ValidatedCloudAdapter(createBotAuthentication(config));
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  const references = new ConversationReferenceStore(deps.storage);
  const proactive = new BotFrameworkProactiveSender({ adapter, appId: config.MICROSOFT_APP_ID ?? '', references, renderers, localizer, logger });
  const logic = createBotLogic({
    coach,
    localizer,
    renderers,
    logger,
    onConversation: (context) => references.remember(context).catch((err) => logger.warn({ err }, 'could not store the conversation reference')),
    invokeHandlers: {
      'adaptiveCard/action': createCardActionInvokeHandler({ coach, localizer, logger, references, proactive, defaultLanguage: config.DEFAULT_LANGUAGE }),
    },
    deliverers: { msteams: createTeamsDeliverer(references, logger) },
  });
  return { adapter, logic, proactive };
}
