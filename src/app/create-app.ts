import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { AppConfig } from '../config/config';
import { createLocalizer, type Localizer } from '../i18n/i18n';
import { createLogger, type Logger } from '../logging/logger';
import type { StoragePort } from '../ports/storage';
import { Coach } from '../core/coach';
import { CommandRegistry } from '../core/command-registry';
import { registerHelp } from '../core/basics/help';
import { registerLanguage } from '../core/basics/language';
import { registerWelcome } from '../core/basics/welcome';
import { registerCourse } from '../core/course/journey';
import type { CourseCatalog } from '../core/course/content-model';
import { loadCourseCatalog } from '../adapters/content/course-loader';
import { CertificateStore } from '../adapters/certificates/certificate-store';
import { mountCertificatesRoute } from '../channels/http/certificates-route';
import { registerReminders } from '../core/reminders/register-reminders';
import { registerFacilitation } from '../core/facilitation/register-facilitation';
import { registerQa } from '../core/qa/qa-routes';
import type { QaService } from '../core/qa/answer-service';
import { currentPosition } from '../core/course/current-position';
import { prepareQa } from '../adapters/retrieval/qa-runtime';
import { ReminderScheduler } from '../core/reminders/reminder-scheduler';
import { submitCardRenderer, teamsCardRenderer } from '../render/adaptive-card-renderer';
import { ConversationReferenceStore } from '../channels/botframework/conversation-references';
import { BotFrameworkProactiveSender } from '../channels/botframework/proactive-sender';
import { createCardActionInvokeHandler } from '../channels/botframework/teams/card-action-invoke';
import { createTeamsDeliverer } from '../channels/botframework/teams/teams-deliverer';
import { ActivityRendererRegistry } from '../channels/botframework/activity-renderer';
import { slackActivityRenderer } from '../channels/slack/slack-activity-renderer';
import { mountSlack } from '../channels/slack/slack-channel';
import { mountWebChat } from '../channels/webchat/mount-webchat';
import { createBotAuthentication, selectAuthMode } from '../channels/botframework/bot-authentication';
import { createBotLogic } from '../channels/botframework/bot-logic';
import { mountMessagesEndpoint } from '../channels/botframework/messages-endpoint';
import { ValidatedCloudAdapter } from '../channels/botframework/validated-cloud-adapter';
import { createHttpServer, InFlightTracker, type ReadinessState } from '../channels/http/http-server';
import { createStorage } from './create-storage';
import { VERSION } from './version';

export interface App {
  config: AppConfig;
  logger: Logger;
  localizer: Localizer;
  storage: StoragePort;
  coach: Coach;
  /** Daily learner nudges; ticks by itself after start() unless REMINDER_TICK_SECONDS=0. */
  reminders: ReminderScheduler;
  /** The loaded course content (English always; translations without errors). */
  catalog: CourseCatalog;
  server: Server;
  /** Opens storage and loads content without listening (in-process use: `npm run chat`); idempotent. */
  open(): Promise<void>;
  /** Opens (see open()), then listens; resolves with the bound URL. */
  start(): Promise<string>;
  /** Stops accepting requests, waits for in-flight turns, closes storage. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
  storage?: StoragePort;
}

/** The composition root: builds every port, feature and channel from the configuration. */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.LOG_LEVEL, logMessageText: config.LOG_MESSAGE_TEXT });
  const authMode = selectAuthMode(config);
  if (authMode === 'anonymous-network-opt-out') {
    logger.warn({ host: config.HOST }, 'ALLOW_ANONYMOUS_ON_NETWORK=true: /api/messages accepts UNAUTHENTICATED requests on a network interface');
  }
  const localizer = await createLocalizer();
  const storage = overrides.storage ?? createStorage(config);
  // Invalid English content stops the app here with the full file:line report (CourseContentError).
  const catalog = await loadCourseCatalog(config.paths.knowledge, logger);
  // Certificate links use PUBLIC_BASE_URL, else the URL the server listens on (known after start()).
  let publicUrl = config.PUBLIC_BASE_URL;
  const certificates = new CertificateStore(storage, {
    issuer: { name: config.ORG_NAME, url: config.ORG_URL },
    baseUrl: () => publicUrl ?? `http://${config.HOST}:${config.PORT}`,
  });

  // Core features register their commands and buttons in the route registry.
  const registry = new CommandRegistry(localizer);
  registerHelp(registry);
  registerLanguage(registry);
  registerWelcome(registry, config.ORG_NAME);
  registerCourse(registry, { catalog, certificates });
  registerReminders(registry, storage);
  registerFacilitation(registry, { catalog, storage });
  // Q&A: free text is a question. The index is loaded in open() (rebuilt there when missing or stale).
  let qaService: QaService | undefined;
  registerQa(registry, {
    service: () => qaService,
    currentStepId: (turn) => currentPosition(turn.learner, catalog, turn.lang).step?.id,
    openLessonCommand: 'lesson.open',
  });

  const coach = new Coach({ storage, localizer, registry, logger, defaultLanguage: config.DEFAULT_LANGUAGE });

  // The Bot Framework edge.
  const renderers = new ActivityRendererRegistry().set(['msteams'], teamsCardRenderer);
  // Slack through Azure Bot Service: Block Kit in channelData, never Adaptive Cards.
  renderers.set(['slack'], slackActivityRenderer);
  // Local web chat (Direct Line): the same cards as Teams, with Action.Submit buttons.
  renderers.set(['webchat', 'directline'], submitCardRenderer);
  const adapter = new ValidatedCloudAdapter(createBotAuthentication(config));
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  // Teams: conversation references for proactive messages, universal actions, card updates.
  const references = new ConversationReferenceStore(storage);
  const proactive = new BotFrameworkProactiveSender({ adapter, appId: config.MICROSOFT_APP_ID ?? '', references, renderers, localizer, logger });
  const reminderScheduler = new ReminderScheduler({ storage, proactive, localizer, registry, logger, defaultLanguage: config.DEFAULT_LANGUAGE });
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

  const readiness: ReadinessState = { ready: false, startedAt: Date.now(), version: VERSION };
  const inFlight = new InFlightTracker();
  const server = createHttpServer(logger, readiness);
  mountMessagesEndpoint(server, { adapter, logic, logger, maxBodyBytes: config.MAX_BODY_BYTES, inFlight, isReady: () => readiness.ready });
  mountCertificatesRoute(server, { certificates, localizer, logger });
  // Native Slack (Events API, interactions, /course) on the same server when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set.
  if (config.slackEnabled) mountSlack({ config, coach, localizer, storage, logger, server, inFlight, isReady: () => readiness.ready });
  // Local web chat at GET / with the bot's own Direct Line endpoint (loopback only unless DIRECTLINE_SECRET is set).
  if (config.WEBCHAT_ENABLED) mountWebChat(server, { config, adapter, logic, logger, localizer, inFlight, isReady: () => readiness.ready });

  let stopped = false;
  let opening: Promise<void> | undefined;
  // Everything a turn needs before the first request: storage, then content. Not listening.
  const open = () => (opening ??= (async () => {
    await storage.open();
    qaService ??= (await prepareQa(config, { logger })).service;
  })());
  return {
    config,
    logger,
    localizer,
    storage,
    coach,
    reminders: reminderScheduler,
    catalog,
    server,
    open,
    async start() {
      await open();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      readiness.ready = true;
      reminderScheduler.start(config.REMINDER_TICK_SECONDS * 1000);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      publicUrl ??= url;
      logger.info({ url, authMode, storage: config.STORAGE, version: VERSION }, 'govai-coach is ready');
      return url;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      readiness.ready = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drain(config.SHUTDOWN_GRACE_MS);
      await reminderScheduler.stop();
      await storage.close();
      logger.info('govai-coach stopped');
    },
  };
}
