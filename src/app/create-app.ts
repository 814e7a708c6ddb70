import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { AppConfig } from '../config/config';
import { createLocalizer, type Localizer } from '../i18n/i18n';
import { createLogger, type Logger } from '../logging/logger';
import type { ProactivePort } from '../ports/proactive';
import type { StoragePort } from '../ports/storage';
import { Coach } from '../core/coach';
import type { CourseCatalog } from '../core/course/content-model';
import type { QaService } from '../core/qa/answer-service';
import { ReminderScheduler } from '../core/reminders/reminder-scheduler';
import { loadCourseCatalog } from '../adapters/content/course-loader';
import { CertificateStore } from '../adapters/certificates/certificate-store';
import { prepareQa } from '../adapters/retrieval/qa-runtime';
import { selectAuthMode } from '../channels/botframework/bot-authentication';
import { mountMessagesEndpoint } from '../channels/botframework/messages-endpoint';
import { mountCertificatesRoute } from '../channels/http/certificates-route';
import { createHttpServer, InFlightTracker, type ReadinessState } from '../channels/http/http-server';
import { ProactiveByChannel } from '../channels/proactive-by-channel';
import { mountSlack, SLACK_CHANNEL_ID } from '../channels/slack/slack-channel';
import { SlackProactiveSender } from '../channels/slack/slack-proactive-sender';
import { mountWebChat } from '../channels/webchat/mount-webchat';
import { createBotFrameworkEdge } from './create-bot-framework-edge';
import { createStorage } from './create-storage';
import { registerFeatures } from './register-features';
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

  let qaService: QaService | undefined;
  const registry = registerFeatures({ config, localizer, storage, catalog, certificates, qaService: () => qaService });
  const coach = new Coach({ storage, localizer, registry, logger, defaultLanguage: config.DEFAULT_LANGUAGE });
  const edge = createBotFrameworkEdge({ config, coach, localizer, storage, logger });

  const readiness: ReadinessState = { ready: false, startedAt: Date.now(), version: VERSION };
  const isReady = () => readiness.ready;
  const inFlight = new InFlightTracker();
  const server = createHttpServer(logger, readiness);
  mountMessagesEndpoint(server, { adapter: edge.adapter, logic: edge.logic, logger, maxBodyBytes: config.MAX_BODY_BYTES, inFlight, isReady });
  mountCertificatesRoute(server, { certificates, localizer, logger });
  // Native Slack (Events API, interactions, /course) when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set.
  const slack = config.slackEnabled ? mountSlack({ config, coach, localizer, storage, logger, server, inFlight, isReady }) : undefined;
  // Local web chat at GET / with the bot's own Direct Line endpoint (loopback only unless DIRECTLINE_SECRET is set).
  if (config.WEBCHAT_ENABLED) mountWebChat(server, { config, adapter: edge.adapter, logic: edge.logic, logger, localizer, inFlight, isReady });

  // Reminders reach each learner through their own channel: native Slack when it is on, Bot Framework otherwise.
  const proactive: ProactivePort = slack
    ? new ProactiveByChannel(edge.proactive, { [SLACK_CHANNEL_ID]: new SlackProactiveSender(() => slack.client, localizer, logger) })
    : edge.proactive;
  const reminderScheduler = new ReminderScheduler({ storage, proactive, localizer, registry, logger, defaultLanguage: config.DEFAULT_LANGUAGE });

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
