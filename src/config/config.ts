import path from 'node:path';
import fs from 'node:fs';
import dotenv from 'dotenv';
import { configSchema, type RawConfig } from './config-schema';
import { CodedError } from '../errors/coded-error';

export interface AppConfig extends RawConfig {
  /** Resolved absolute paths derived from DATA_DIR and friends. */
  paths: { data: string; knowledge: string; references?: string; index: string; sqlite: string };
  /** The OpenAI-compatible endpoint is configured (OpenAI, a compatible server, or Azure OpenAI). */
  llmEnabled: boolean;
  slackEnabled: boolean;
  botAuthEnabled: boolean;
}

export class ConfigError extends CodedError {
  constructor(readonly problems: string[]) {
    super('config_invalid', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the configuration. `env` defaults to process.env merged with an
 * optional .env file (process.env wins), so tests can pass a plain object.
 */
export function loadConfig(env?: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const source = env ?? { ...readDotEnv(cwd), ...process.env };
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join('.') || '(configuration)';
        const received = i.path.length ? source[String(i.path[0])] : undefined;
        return `${name} ${i.message}${received !== undefined && !/SECRET|PASSWORD|KEY|TOKEN/.test(name) ? ` (got "${received}")` : ''}`;
      }),
    );
  }
  const c = parsed.data;
  const abs = (p: string) => path.resolve(cwd, p);
  const data = abs(c.DATA_DIR);
  return {
    ...c,
    paths: {
      data,
      knowledge: abs(c.KNOWLEDGE_DIR),
      references: c.REFERENCES_DIR ? abs(c.REFERENCES_DIR) : undefined,
      index: c.INDEX_DIR ? abs(c.INDEX_DIR) : path.join(data, 'index'),
      sqlite: c.SQLITE_PATH ? abs(c.SQLITE_PATH) : path.join(data, 'govai-coach.sqlite'),
    },
    llmEnabled: Boolean(c.OPENAI_API_KEY || c.OPENAI_BASE_URL || c.AZURE_OPENAI_ENDPOINT),
    slackEnabled: Boolean(c.SLACK_SIGNING_SECRET && c.SLACK_BOT_TOKEN),
    botAuthEnabled: Boolean(c.MICROSOFT_APP_ID),
  };
}

function readDotEnv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env');
  return fs.existsSync(file) ? dotenv.parse(fs.readFileSync(file)) : {};
}
