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

const port = z.coerce.number({ error: 'must be a whole number from 0 to 65535' }).int('must be a whole number from 0 to 65535').min(0, 'must be a whole number from 0 to 65535').max(65535, 'must be a whole number from 0 to 65535');
const positiveInt = z.coerce.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number');
const url = z.string().trim().url();
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.string().url().optional())
  .optional();

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

    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional(),
    MICROSOFT_APP_CERT_THUMBPRINT: optionalString,
    MICROSOFT_APP_CERT_KEY_FILE: optionalString,
    BOT_OPENID_METADATA_URL: optionalUrl,
    BOT_TOKEN_ISSUER: optionalString,
    ALLOW_ANONYMOUS_ON_NETWORK: booleanFlag,

    ORG_NAME: z.string().trim().min(1).default('Your organisation'),
    ORG_URL: url.default('https://example.org'),
    PUBLIC_BASE_URL: optionalUrl,

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
    QA_MAX_QUESTION_CHARS: positiveInt.default(500),

    SLACK_SIGNING_SECRET: optionalString,
    SLACK_BOT_TOKEN: optionalString,
    SLACK_API_URL: url.default('https://slack.com/api/'),

    /** How often the reminder scheduler looks for due nudges; 0 turns the scheduler off. */
    REMINDER_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),

    WEBCHAT_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    DIRECTLINE_SECRET: optionalString,
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
    if (Boolean(c.SLACK_SIGNING_SECRET) !== Boolean(c.SLACK_BOT_TOKEN)) {
      ctx.addIssue({ code: 'custom', path: [c.SLACK_SIGNING_SECRET ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET'], message: 'native Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN' });
    }
    if (c.AZURE_OPENAI_ENDPOINT && (!c.AZURE_OPENAI_API_KEY || !c.AZURE_OPENAI_DEPLOYMENT)) {
      ctx.addIssue({ code: 'custom', path: ['AZURE_OPENAI_ENDPOINT'], message: 'needs AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT as well' });
    }
  });

export type RawConfig = z.output<typeof configSchema>;
