import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { AppConfig } from '../config/config';
import { createLocalizer, type Localizer } from '../i18n/i18n';
import { createLogger, type Logger } from '../logging/logger';
import type { MetricsPort } from '../ports/metrics';
import type { ProactivePort } from '../ports/proactive';
import type { StoragePort } from '../ports/storage';
import { Coach } from '../core/coach';
import type { CourseCatalog } from '../core/course/content-model';
import type { QaService } from '../core/qa/answer-service';
import { ReminderScheduler } from '../core/reminders/reminder-scheduler';
import { ExportLinks, buildCohortExport, type StoredExport } from '../core/cohorts/cohort-export';
import { FacilitatorRoles } from '../core/cohorts/facilitator-roles';
import { groupPollVoteSource } from '../core/facilitation/polls/poll-personal-data';
import { registerCohorts } from '../core/cohorts/register-cohorts';
import { cohortReflectionSharing } from '../core/cohorts/reflection-sharing';
import { cohortPersonalDataSource } from '../core/cohorts/cohort-personal-data';
import { registerExpertQuestions } from '../core/cohorts/expert-questions';
import { closestPassages } from '../core/cohorts/expert-passages';
import { WelcomeDispatcher } from '../core/cohorts/welcome-dispatcher';
import { PacingNudges } from '../core/cohorts/pacing-nudges';
import type { CohortChannelPort } from '../ports/cohort-channels';
import { TeamsCohortChannel } from '../channels/botframework/teams/teams-cohort-channel';
import { teamsRosterWatcher } from '../channels/botframework/teams/teams-roster-watcher';
import { exportBehindLink, mountCohortExportRoute } from '../channels/http/cohort-export-route';
import { LrsClient } from '../adapters/xapi/lrs-client';
import { withoutTrailingSlashes } from '../core/text-normalize';
import { statementsFor } from '../adapters/xapi/progress-statements';
import { XapiOutbox } from '../adapters/xapi/xapi-outbox';
import { SlackCohortChannel } from '../channels/slack/slack-cohort-channel';
import { watchSlackRoster } from '../channels/slack/slack-roster-watcher';
import { loadCourseCatalog } from '../adapters/content/course-loader';
import { CertificateStore } from '../adapters/certificates/certificate-store';
import { certificateDocuments } from '../adapters/certificates/certificate-documents';
import { CredentialSigner } from '../adapters/certificates/credential-signer';
import { FlexibleRateLimits, limitSettingsOf } from '../adapters/rate-limits/flexible-rate-limits';
import { prepareQa } from '../adapters/retrieval/qa-runtime';
import { MeasuredProactive } from '../adapters/metrics/measured-proactive';
import { withStorageMetrics } from '../adapters/metrics/measured-storage';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics';
import { selectAuthMode } from '../channels/botframework/bot-authentication';
import { mountMessagesEndpoint } from '../channels/botframework/messages-endpoint';
import { mountCertificatesRoute } from '../channels/http/certificates-route';
import { mountMetricsRoute } from '../channels/http/metrics-route';
import { mountCorrelationIds } from '../channels/http/correlation-ids';
import { createHttpServer, InFlightTracker, type ReadinessState } from '../channels/http/http-server';
import { mountLocalHostGuard } from '../channels/http/local-host-guard';
import { mountReadinessRoute } from '../channels/http/readiness-route';
import { ProactiveByChannel } from '../channels/proactive-by-channel';
import { mountSlack, SLACK_CHANNEL_ID } from '../channels/slack/slack-channel';
import { SlackProactiveSender } from '../channels/slack/slack-proactive-sender';
import { mountWebChat } from '../channels/webchat/mount-webchat';
import { directLineServiceUrl } from '../channels/webchat/directline-endpoint';
import { CONNECTOR_KEY_HEADER, DIRECT_LINE_CONNECTOR_KEY } from '../channels/webchat/directline-connector-key';
import { mountPrivacyRoutes } from '../channels/http/privacy-routes';
import { createBotFrameworkEdge } from './create-bot-framework-edge';
import { createPrivacy, type Privacy } from './create-privacy';
import { createStorage } from './create-storage';
import { registerFeatures } from './register-features';
import type { JobPort } from '../ports/jobs';
import type { ChannelPostPort } from '../ports/channel-posts';
import { createJobs } from './create-jobs';
import { registerDiscussionSchedule } from '../core/facilitation/schedule/register-schedule';
import { DiscussionScheduler } from '../core/facilitation/schedule/discussion-scheduler';
import { scheduledDiscussionsDataSource } from '../core/facilitation/schedule/schedule-personal-data';
import { BotFrameworkChannelPoster } from '../channels/botframework/channel-poster';
import { SlackChannelPoster } from '../channels/slack/slack-channel-poster';
import { DiscussionThreads } from '../core/facilitation/threads/discussion-threads';
import { pollCloser, type PollCloser } from '../core/facilitation/polls/poll-closer';
import { registerDiscussionSummary } from '../core/facilitation/threads/register-summary';
import { ReplySimilarity } from '../adapters/retrieval/reply-similarity';
import { VERSION } from './version';
import { CodedError } from '../errors/coded-error';

export interface App {
  config: AppConfig;
  logger: Logger;
  localizer: Localizer;
  storage: StoragePort;
  coach: Coach;
  /** Daily learner nudges; ticks by itself after start() unless REMINDER_TICK_SECONDS=0. */
  reminders: ReminderScheduler;
  /** Operational metrics (served at GET /metrics); features report rate-limited turns and the like here. */
  metrics: MetricsPort;
  /** Cohort welcomes and delivery reports; ticks by itself after start() unless COHORT_TICK_SECONDS=0. */
  cohortWelcomes: WelcomeDispatcher;
  /** Scheduled discussion prompts (`schedule discuss 2 monday 10:00`); ticks by itself after start() unless SCHEDULE_TICK_SECONDS=0. */
  discussionSchedule: DiscussionScheduler;
  /** Polls closed at their closing time, their card redrawn with the final result; ticks with SCHEDULE_TICK_SECONDS. */
  pollClosing: PollCloser;
  /** The job queue behind them (PostgreSQL or SQLite, like storage). */
  jobs: JobPort;
  /** xAPI statements waiting for the LRS (only with LRS_ENDPOINT); ticks by itself after start() unless XAPI_TICK_SECONDS=0. */
  xapiOutbox?: XapiOutbox;
  /** The loaded course content (English always; translations without errors). */
  catalog: CourseCatalog;
  /** Personal-data registry (features register their exporters and erasers), audit log, retention purge. */
  privacy: Privacy;
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
  /** Several instances in a test share one PostgreSQL jobs table through this. */
  jobs?: JobPort;
}

/** The composition root: builds every port, feature and channel from the configuration. */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.LOG_LEVEL, logMessageText: config.LOG_MESSAGE_TEXT });
  const authMode = selectAuthMode(config);
  if (authMode === 'anonymous-network-opt-out') {
    logger.warn({ host: config.HOST }, 'ALLOW_ANONYMOUS_ON_NETWORK=true: /api/messages accepts UNAUTHENTICATED requests on a network interface');
  }
  const localizer = await createLocalizer();
  const metrics = new PrometheusMetrics();
  const storage = withStorageMetrics(overrides.storage ?? createStorage(config, { logger }), metrics);
  // Invalid English content stops the app here with the full file:line report (CourseContentError).
  const catalog = await loadCourseCatalog(config.paths.knowledge, logger);
  // Certificate links use PUBLIC_BASE_URL, else the URL the server listens on (known after start()).
  let publicUrl = config.PUBLIC_BASE_URL;
  const certificates = new CertificateStore(storage, {
    issuer: { name: config.ORG_NAME, url: config.ORG_URL },
    baseUrl: () => publicUrl ?? `http://${config.HOST}:${config.PORT}`,
  });

  // Personal data of every feature (export, erasure), the audit log and the retention purge.
  const privacy = createPrivacy({ config, storage, logger, certificates, catalog, baseUrl: () => publicUrl ?? `http://${config.HOST}:${config.PORT}` });

  let qaService: QaService | undefined;
  // Cohorts reach people through each channel's roster and personal chats (filled in once the channels exist).
  const cohortChannels: Record<string, CohortChannelPort> = {};
  const reflectionSharing = cohortReflectionSharing(storage, cohortChannels);
  // Turn and model limits: counted in memory on SQLite (one instance), in PostgreSQL across instances.
  const limits = new FlexibleRateLimits(limitSettingsOf(config), { logger, databaseUrl: config.STORAGE === 'postgres' ? config.DATABASE_URL : undefined });
  // Replies in the threads of discussion prompts the bot posted (and nothing else it was not asked), under the same turn limits.
  const threads = new DiscussionThreads(storage, config.DISCUSSION_OPT_OUT_MARKER, { limits, metrics });
  // Scheduled prompts and poll closings: PostgreSQL or SQLite, like storage.
  const jobs = overrides.jobs ?? createJobs(config);
  privacy.registry.register(threads.personalDataSource());
  privacy.retention.register(threads.retentionTask());
  const registry = registerFeatures({ config, localizer, storage, catalog, certificates, qaService: () => qaService, privacy: privacy.service, reflectionSharing, threads, jobs });
  const exportLinks = new ExportLinks(storage, () => publicUrl ?? `http://${config.HOST}:${config.PORT}`);
  const cohortWelcomes = new WelcomeDispatcher({
    storage,
    channels: cohortChannels,
    localizer,
    catalog,
    logger,
    nudges: new PacingNudges({ storage, channels: cohortChannels, localizer, catalog, logger }),
  });
  const facilitatorRoles = new FacilitatorRoles(config.FACILITATORS);
  const cohorts = registerCohorts(registry, {
    storage,
    catalog,
    roles: facilitatorRoles,
    channels: cohortChannels,
    welcomes: cohortWelcomes,
    exports: exportLinks,
    minAggregate: config.COHORT_MIN_AGGREGATE,
    audit: privacy.audit,
  });
  registerDiscussionSchedule(registry, { jobs, storage, roles: facilitatorRoles, catalog });
  registerDiscussionSummary(registry, {
    threads,
    storage,
    catalog,
    roles: facilitatorRoles,
    similarity: new ReplySimilarity(),
    answer: async (question, lang) => {
      const answer = await qaService?.ask({ question, lang });
      return answer?.kind === 'answer' ? answer.citations : [];
    },
    model: () => (qaService?.llm ? { llm: qaService.llm, budgetMs: qaService.llmBudgetMs } : undefined),
    onModelFailure: (err) => logger.warn({ err }, 'discussion summary by the model failed; the extractive summary is sent'),
  });
  registerExpertQuestions(registry, {
    storage,
    roles: facilitatorRoles,
    channels: cohortChannels,
    expertsChannel: config.EXPERTS_CHANNEL,
    passages: (question, lang) => closestPassages(qaService, question, lang),
  });
  // xAPI: progress changes become statements in a durable outbox, sent to the LRS in the background.
  const xapiOutbox = config.LRS_ENDPOINT ? new XapiOutbox(storage, new LrsClient({ endpoint: config.LRS_ENDPOINT, key: config.LRS_KEY, secret: config.LRS_SECRET }), logger) : undefined;
  // xAPI needs an IRI for the organisation even when ORG_URL is unset: this server's public address then.
  const orgIri = config.ORG_URL ?? config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
  const xapiStatements = { activityBase: `${withoutTrailingSlashes(orgIri)}/xapi`, accountHomePage: orgIri };
  const coach = new Coach({
    storage,
    localizer,
    registry,
    logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    metrics,
    maxTextChars: config.MAX_MESSAGE_CHARS,
    limits,
    ...(xapiOutbox
      ? {
          // Captured in the learner's own save (nothing lost if the process stops right after it), then moved to the outbox.
          beforeSave: async ({ before, after, input, now }) =>
            xapiOutbox.capture(after, statementsFor({ before, after, activityId: input.activityId, now }, catalog.get(after.language ?? config.DEFAULT_LANGUAGE), xapiStatements), now),
          onSaved: async ({ after, now }) => xapiOutbox.flush(after.key, now),
        }
      : {}),
  });
  let teamsRoster: ((context: Parameters<ReturnType<typeof teamsRosterWatcher>>[0]) => Promise<void>) | undefined;
  const edge = createBotFrameworkEdge({ config, coach, localizer, storage, logger, onConversationUpdate: (context) => teamsRoster?.(context) ?? Promise.resolve(), threads });
  const teamsCohorts = new TeamsCohortChannel({ adapter: edge.adapter, appId: config.MICROSOFT_APP_ID ?? '', storage, references: edge.references, proactive: edge.proactive, logger });
  cohortChannels.msteams = teamsCohorts;
  teamsRoster = teamsRosterWatcher(teamsCohorts, cohorts.membersJoined);
  privacy.registry.register(edge.references.personalDataSource());
  privacy.registry.register(cohortPersonalDataSource(storage));
  privacy.registry.register(scheduledDiscussionsDataSource(jobs));
  privacy.registry.register(groupPollVoteSource(storage));

  const readiness: ReadinessState = { ready: false, startedAt: Date.now(), version: VERSION };
  const isReady = () => readiness.ready;
  const inFlight = new InFlightTracker();
  const server = createHttpServer(logger, readiness);
  mountCorrelationIds(server);
  if (authMode === 'anonymous-loopback') {
    mountLocalHostGuard(server, {
      extraHosts: config.PUBLIC_BASE_URL ? [new URL(config.PUBLIC_BASE_URL).hostname] : [],
      // Slack requests are signed; with DIRECTLINE_SECRET the web chat routes require its tokens.
      exempt: (path) => path.startsWith('/api/slack/') || (Boolean(config.DIRECTLINE_SECRET) && (path === '/' || path.startsWith('/webchat/') || path.startsWith('/v3/directline/'))),
    });
  }
  mountMessagesEndpoint(server, { adapter: edge.adapter, logic: edge.logic, logger, maxBodyBytes: config.MAX_BODY_BYTES, inFlight, isReady });
  mountReadinessRoute(server, {
    logger,
    checks: {
      storage: () => storage.ping(),
      content: async () => {
        if (!readiness.ready) throw new CodedError('not_loaded', 'course content not loaded, or the app is stopping');
      },
      index: async () => {
        if (!qaService) throw new CodedError('not_loaded', 'retrieval index not loaded');
      },
    },
  });
  // The Open Badge signing key: configured, or generated once and kept in storage (so after storage opens).
  let signing: Promise<CredentialSigner> | undefined;
  const signer = () =>
    (signing ??= CredentialSigner.open({ privateKeyPem: config.CERTIFICATE_SIGNING_KEY, storage }).catch((err: unknown) => {
      signing = undefined;
      throw err;
    }));
  mountCertificatesRoute(server, { certificates, documents: certificateDocuments({ lookup: certificates, localizer, signer }), localizer, defaultLanguage: config.DEFAULT_LANGUAGE, logger });
  mountPrivacyRoutes(server, { privacy: privacy.service, logger });
  mountMetricsRoute(server, { metrics, host: config.HOST, token: config.METRICS_TOKEN, logger });
  const exportDeps = { storage, catalog, localizer, certificateDate: async (id: string) => (await certificates.find(id))?.issuedAt };
  const exportFiles = { exports: exportLinks, render: (link: StoredExport, now: Date) => buildCohortExport(exportDeps, link, now) };
  mountCohortExportRoute(server, { ...exportFiles, logger });
  // Slack gets an export as a file in the conversation (files.uploadV2), besides its link.
  const attachmentFiles = (attachment: { url: string }) => exportBehindLink(attachment.url, exportFiles, new Date());
  // Native Slack (Events API, interactions, /course) when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set.
  const slack = config.slackEnabled ? mountSlack({ config, coach, localizer, storage, logger, server, inFlight, isReady, threads, attachmentFiles }) : undefined;
  if (slack) {
    const slackCohorts = new SlackCohortChannel(() => slack.client, config.SLACK_BOT_TOKEN!, localizer, logger, attachmentFiles);
    cohortChannels[SLACK_CHANNEL_ID] = slackCohorts;
    watchSlackRoster(slack, slackCohorts, cohorts.membersJoined, logger);
  }
  // Local web chat at GET / with the bot's own Direct Line endpoint (loopback only unless DIRECTLINE_SECRET is set).
  if (config.WEBCHAT_ENABLED) mountWebChat(server, { config, adapter: edge.adapter, logic: edge.logic, logger, localizer, inFlight, isReady, storage });

  // Reminders reach each learner through their own channel: native Slack when it is on, Bot Framework otherwise.
  const proactive: ProactivePort = slack ? new ProactiveByChannel(edge.proactive, { [SLACK_CHANNEL_ID]: new SlackProactiveSender(() => slack.client, localizer, logger) }) : edge.proactive;
  // Scheduled discussion prompts go to the channel they were scheduled in; failures reach the facilitator privately.
  const channelPosters: Record<string, ChannelPostPort> = {};
  for (const channelId of ['msteams', 'webchat', 'directline', 'emulator', 'slack']) {
    channelPosters[channelId] = new BotFrameworkChannelPoster({
      channelId,
      adapter: edge.adapter,
      appId: config.MICROSOFT_APP_ID ?? '',
      references: edge.references,
      renderers: edge.renderers,
      localizer,
      logger,
    });
  }
  if (slack) channelPosters[SLACK_CHANNEL_ID] = new SlackChannelPoster(() => slack.client, config.SLACK_BOT_TOKEN!, localizer, logger, storage);
  const discussionSchedule = new DiscussionScheduler({ jobs, posters: channelPosters, proactive: new MeasuredProactive(proactive, metrics), catalog, localizer, logger, threads });
  const pollClosing = pollCloser({ jobs, storage, posters: channelPosters, catalog, localizer, logger });
  const reminderScheduler = new ReminderScheduler({ storage, proactive: new MeasuredProactive(proactive, metrics), localizer, registry, logger, defaultLanguage: config.DEFAULT_LANGUAGE, metrics });

  let stopped = false;
  let opening: Promise<void> | undefined;
  // Everything a turn needs before the first request: storage, then content. Not listening.
  const open = () =>
    (opening ??= (async () => {
      await storage.open();
      await jobs.open();
      // A configured key that cannot be read stops start-up here, not at the first certificate.
      await signer();
      qaService ??= (await prepareQa(config, { logger, metrics, limits })).service;
    })());
  return {
    config,
    logger,
    localizer,
    storage,
    coach,
    reminders: reminderScheduler,
    metrics,
    cohortWelcomes,
    discussionSchedule,
    pollClosing,
    jobs,
    xapiOutbox,
    catalog,
    privacy,
    server,
    open,
    async start() {
      await open();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      // Proactive messages may reach the local web chat's own connector, which knows the key of this process.
      if (config.WEBCHAT_ENABLED) edge.serviceUrls.allowLocal(directLineServiceUrl(server), { [CONNECTOR_KEY_HEADER]: DIRECT_LINE_CONNECTOR_KEY });
      readiness.ready = true;
      reminderScheduler.start(config.REMINDER_TICK_SECONDS * 1000);
      cohortWelcomes.start(config.COHORT_TICK_SECONDS * 1000);
      discussionSchedule.start(config.SCHEDULE_TICK_SECONDS * 1000);
      pollClosing.start(config.SCHEDULE_TICK_SECONDS * 1000);
      xapiOutbox?.start(config.XAPI_TICK_SECONDS * 1000);
      privacy.retention.start();
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
      await cohortWelcomes.stop();
      await discussionSchedule.stop();
      await pollClosing.stop();
      await xapiOutbox?.stop();
      await privacy.retention.stop();
      await limits.close();
      await storage.close();
      await jobs.close();
      logger.info('govai-coach stopped');
    },
  };
}
