import { z } from 'zod';

/** Empty strings in .env files mean "not set". */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'must be a whole number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be a whole number from 0 to 65535')
  .max(65535, 'must be a whole number from 0 to 65535');
const positiveInt = z.coerce.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number');
const url = z.string().trim().url();
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.string().url().optional())
  .optional();
/** A count where 0 means "off". */
const wholeNumber = z.coerce.number({ error: 'must be a whole number (0 switches it off)' }).int('must be a whole number (0 switches it off)').min(0, 'must be a whole number (0 switches it off)');

/** Comma-separated values; empty means none. */
const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Bot Connector hosts of the public and government clouds (Teams, Direct Line, Azure Bot Service channels). */
export const DEFAULT_CONNECTOR_HOSTS = [
  '*.botframework.com',
  'smba.trafficmanager.net',
  '*.botframework.us',
  '*.botframework.azure.us',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];

export const SUPPORTED_LANGUAGES = ['en', 'es', 'fr', 'pt', 'ar'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/**
 * Every setting of the service, read from the environment (and an optional .env file).
 * Defaults make the embedded mode work with no external service.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: port.default(3978),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_MESSAGE_TEXT: booleanFlag,
    MAX_BODY_BYTES: positiveInt.default(262144),
    SHUTDOWN_GRACE_MS: positiveInt.default(10000),
    DEFAULT_LANGUAGE: z.enum(SUPPORTED_LANGUAGES).default('en'),

    DATA_DIR: z.string().trim().min(1).default('./data'),
    KNOWLEDGE_DIR: z.string().trim().min(1).default('./knowledge'),
    REFERENCES_DIR: optionalString,
    INDEX_DIR: optionalString,
    STORAGE: z.enum(['sqlite', 'postgres']).default('sqlite'),
    SQLITE_PATH: optionalString,
    DATABASE_URL: optionalString,
    /** PostgreSQL pool bounds and timeouts: a slow or unreachable database fails a turn fast instead of hanging it. */
    DATABASE_POOL_MAX: positiveInt.default(10),
    DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(1500),
    DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.default(5000),
    DATABASE_QUERY_TIMEOUT_MS: positiveInt.default(1500),

    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional(),
    MICROSOFT_APP_CERT_THUMBPRINT: optionalString,
    MICROSOFT_APP_CERT_KEY_FILE: optionalString,
    BOT_OPENID_METADATA_URL: optionalUrl,
    BOT_TOKEN_ISSUER: optionalString,
    ALLOW_ANONYMOUS_ON_NETWORK: booleanFlag,
    /** Anonymous network mode: the authenticating proxy in front sends `Authorization: Bearer <this>`. */
    ANONYMOUS_SHARED_SECRET: optionalString,
    /** Tenants whose Teams activities are accepted (comma-separated; `*` any). Default: the app's own tenant, except MultiTenant. */
    ALLOWED_TENANT_IDS: commaList,
    /** Accept Bot Framework Emulator tokens (local development only). */
    ALLOW_EMULATOR_TOKENS: booleanFlag,
    /** Hosts the bot may post replies to with credentials; `*.` matches subdomains. */
    CONNECTOR_ALLOWED_HOSTS: commaList.transform((hosts) => (hosts.length ? hosts : DEFAULT_CONNECTOR_HOSTS)),
    /** Loopback service URLs (prefixes) that may receive replies in any mode, besides the web chat's own connector. */
    LOCAL_SERVICE_URLS: commaList,

    // No placeholder organisation: unset, the welcome and the certificates say plainly that none is configured.
    ORG_NAME: optionalString,
    ORG_URL: optionalUrl,
    PUBLIC_BASE_URL: optionalUrl,
    /** PEM of the Ed25519 key that signs Open Badges; unset: one is generated at first start and kept in storage. */
    CERTIFICATE_SIGNING_KEY: optionalString,

    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    OPENAI_EMBEDDING_MODEL: optionalString,
    AZURE_OPENAI_ENDPOINT: optionalUrl,
    AZURE_OPENAI_API_KEY: optionalString,
    AZURE_OPENAI_DEPLOYMENT: optionalString,
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalString,
    AZURE_OPENAI_API_VERSION: z.string().trim().min(1).default('2024-10-21'),
    LLM_TIMEOUT_MS: positiveInt.default(20000),
    LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    /** Least milliseconds between two updates of an answer streamed in Teams (Teams accepts about one a second). */
    TEAMS_STREAM_INTERVAL_MS: z.coerce.number().int().min(0).max(10000).default(1000),
    QA_MAX_QUESTION_CHARS: positiveInt.default(500),
    MAX_MESSAGE_CHARS: positiveInt.default(4000),
    // Rate limits and model budgets (0 switches one off); shared through PostgreSQL with several instances.
    RATE_LIMIT_TURNS_PER_MINUTE: wholeNumber.default(60),
    RATE_LIMIT_TENANT_TURNS_PER_MINUTE: wholeNumber.default(3000),
    LLM_CALLS_PER_MINUTE: wholeNumber.default(10),
    LLM_TENANT_CALLS_PER_MINUTE: wholeNumber.default(300),
    LLM_DAILY_CALLS_PER_LEARNER: wholeNumber.default(200),
    LLM_DAILY_CALLS_PER_TENANT: wholeNumber.default(20000),
    LLM_DAILY_CALLS_TOTAL: wholeNumber.default(50000),

    SLACK_SIGNING_SECRET: optionalString,
    SLACK_BOT_TOKEN: optionalString,
    SLACK_API_URL: url.default('https://slack.com/api/'),

    /** How often the reminder scheduler looks for due nudges; 0 turns the scheduler off. */
    REMINDER_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),

    /** Who may create and run cohorts: Teams Entra object ids or UPNs/e-mails, Slack user ids (comma-separated). */
    FACILITATORS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(/[,;\s]+/)
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
    /** Score averages in cohort reports need at least this many learners, so nobody's score can be singled out. */
    COHORT_MIN_AGGREGATE: z.coerce.number({ error: 'must be a whole number of at least 3' }).int('must be a whole number of at least 3').min(3, 'must be a whole number of at least 3').default(5),
    /** Anonymous poll results stay hidden until this many people voted (never below 3); the card shows "n votes so far" until then. */
    POLL_MIN_VOTES: z.coerce.number({ error: 'must be a whole number of at least 3' }).int('must be a whole number of at least 3').min(3, 'must be a whole number of at least 3').default(5),
    /** A discussion reply starting with this marker is not kept for the facilitator's summary (each prompt card names it). */
    // Empty (an unquoted "#private" in .env reads as a comment) means the default.
    DISCUSSION_OPT_OUT_MARKER: z.preprocess(
      (v) => (typeof v === 'string' && !v.trim() ? undefined : v),
      z.string().trim().max(20, 'must be at most 20 characters').regex(/^\S+$/, 'must be one word without spaces, e.g. #private').default('#private'),
    ),
    /** Where "ask an expert" questions go for learners without a cohort: "msteams:<channel conversation id>" or "slack:<channel id>". */
    EXPERTS_CHANNEL: optionalString.pipe(
      z
        .string()
        .regex(/^(msteams|slack):\S+$/, 'must be "msteams:<channel conversation id>" or "slack:<channel id>"')
        .optional(),
    ),
    /** xAPI 1.0.3 statements go to this LRS (statements resource base, e.g. https://lrs.example/xapi) when set. */
    LRS_ENDPOINT: optionalUrl,
    LRS_KEY: optionalString,
    LRS_SECRET: optionalString,
    /** How often the xAPI outbox is sent to the LRS; 0 turns the background pass off. */
    XAPI_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** How often cohort welcomes are sent and retried; 0 turns the background pass off (it still runs after each change). */
    COHORT_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** How often due scheduled discussion prompts are posted (and failed posts retried); 0 turns the background pass off. */
    SCHEDULE_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),

    /** Administrators (may export the audit log): `<channel>:<user id>`, e.g. msteams:<Entra object id>, slack:U0123ABCD (comma-separated). */
    ADMINS: commaList,
    /** Privacy notice linked from help, the welcome and `my data`; default: docs/privacy.md served at <public URL>/privacy. */
    PRIVACY_NOTICE_URL: optionalUrl,
    /** Retention in days (docs/privacy.md): recent questions of quiet learners, discussion replies, learners inactive this long, audit log entries. */
    RETENTION_QUESTION_HISTORY_DAYS: positiveInt.default(90),
    RETENTION_DISCUSSION_REPLIES_DAYS: positiveInt.default(365),
    RETENTION_INACTIVE_LEARNER_DAYS: positiveInt.default(730),
    RETENTION_AUDIT_LOG_DAYS: positiveInt.default(365),
    /** Hours between retention purges (run by one instance at a time); 0 turns the purge off. */
    /** Hours a learner waits after a final-assessment attempt before a new one; 0 turns the wait off. */
    FINAL_COOLDOWN_HOURS: z.coerce
      .number({ error: 'must be a whole number from 0 to 720' })
      .int('must be a whole number from 0 to 720')
      .min(0, 'must be a whole number from 0 to 720')
      .max(720, 'must be a whole number from 0 to 720')
      .default(24),
    RETENTION_PURGE_INTERVAL_HOURS: z.coerce
      .number({ error: 'must be a whole number from 0 to 720' })
      .int('must be a whole number from 0 to 720')
      .min(0, 'must be a whole number from 0 to 720')
      .max(720, 'must be a whole number from 0 to 720')
      .default(24),

    WEBCHAT_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    DIRECTLINE_SECRET: optionalString,
    /** Bearer token for GET /metrics when the bot listens on a network interface (on loopback /metrics is open). */
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  })
  .superRefine((c, ctx) => {
    if (c.STORAGE === 'postgres' && !c.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when STORAGE=postgres (e.g. postgres://user@127.0.0.1:5432/govai)' });
    }
    if (c.MICROSOFT_APP_ID) {
      const type = c.MICROSOFT_APP_TYPE ?? 'SingleTenant';
      if (type !== 'MultiTenant' && !c.MICROSOFT_APP_TENANT_ID) {
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: `is required when MICROSOFT_APP_TYPE=${type}` });
      }
      const hasCert = Boolean(c.MICROSOFT_APP_CERT_THUMBPRINT && c.MICROSOFT_APP_CERT_KEY_FILE);
      if (type !== 'UserAssignedMSI' && !c.MICROSOFT_APP_PASSWORD && !hasCert) {
        ctx.addIssue({
          code: 'custom',
          path: ['MICROSOFT_APP_PASSWORD'],
          message: `is required with MICROSOFT_APP_TYPE=${type} (or MICROSOFT_APP_CERT_THUMBPRINT and MICROSOFT_APP_CERT_KEY_FILE)`,
        });
      }
    }
    if (c.ALLOW_ANONYMOUS_ON_NETWORK && !c.MICROSOFT_APP_ID && (c.ANONYMOUS_SHARED_SECRET ?? '').length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['ANONYMOUS_SHARED_SECRET'],
        message: 'must be at least 32 characters when ALLOW_ANONYMOUS_ON_NETWORK=true (requests must carry Authorization: Bearer <secret>)',
      });
    }
    for (const [i, u] of c.LOCAL_SERVICE_URLS.entries()) {
      if (!/^http:\/\/(127(\.\d{1,3}){3}|localhost|\[::1\])(:\d+)?\//i.test(u)) {
        ctx.addIssue({ code: 'custom', path: ['LOCAL_SERVICE_URLS', i], message: `must list loopback http URLs such as http://127.0.0.1:3980/ (got "${u}")` });
      }
    }
    if (Boolean(c.SLACK_SIGNING_SECRET) !== Boolean(c.SLACK_BOT_TOKEN)) {
      ctx.addIssue({ code: 'custom', path: [c.SLACK_SIGNING_SECRET ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET'], message: 'native Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN' });
    }
    if (c.AZURE_OPENAI_ENDPOINT && (!c.AZURE_OPENAI_API_KEY || !c.AZURE_OPENAI_DEPLOYMENT)) {
      ctx.addIssue({ code: 'custom', path: ['AZURE_OPENAI_ENDPOINT'], message: 'needs AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT as well' });
    }
  });

export type RawConfig = z.output<typeof configSchema>;
