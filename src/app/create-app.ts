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
import { ActivityRendererRegistry } from '../channels/botframework/activity-renderer';
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

  // Core features register their commands and buttons in the route registry.
  const registry = new CommandRegistry(localizer);
  registerHelp(registry);
  registerLanguage(registry);
  registerWelcome(registry, config.ORG_NAME);

  const coach = new Coach({ storage, localizer, registry, logger, defaultLanguage: config.DEFAULT_LANGUAGE });

  // The Bot Framework edge.
  const renderers = new ActivityRendererRegistry();
  const adapter = new ValidatedCloudAdapter(createBotAuthentication(config));
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  const logic = createBotLogic({ coach, localizer, renderers, logger });

  const readiness: ReadinessState = { ready: false, startedAt: Date.now(), version: VERSION };
  const inFlight = new InFlightTracker();
  const server = createHttpServer(logger, readiness);
  mountMessagesEndpoint(server, { adapter, logic, logger, maxBodyBytes: config.MAX_BODY_BYTES, inFlight, isReady: () => readiness.ready });

  let stopped = false;
  let opening: Promise<void> | undefined;
  // Everything a turn needs before the first request: storage, then content. Not listening.
  const open = () => (opening ??= (async () => {
    await storage.open();
  })());
  return {
    config,
    logger,
    localizer,
    storage,
    coach,
    server,
    open,
    async start() {
      await open();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      readiness.ready = true;
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      logger.info({ url, authMode, storage: config.STORAGE, version: VERSION }, 'govai-coach is ready');
      return url;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      readiness.ready = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drain(config.SHUTDOWN_GRACE_MS);
      await storage.close();
      logger.info('govai-coach stopped');
    },
  };
}
