import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

const cwd = '/srv/govai';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('works with no settings at all: loopback, port 3978, SQLite under ./data, no LLM, no Slack', () => {
    const config = loadConfig({}, cwd);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PORT).toBe(3978);
    expect(config.STORAGE).toBe('sqlite');
    expect(config.paths.sqlite).toBe(path.join(cwd, 'data', 'govai-coach.sqlite'));
    expect(config.paths.index).toBe(path.join(cwd, 'data', 'index'));
    expect(config.llmEnabled).toBe(false);
    expect(config.slackEnabled).toBe(false);
    expect(config.botAuthEnabled).toBe(false);
  });

  it('treats empty values as unset, as in a copied .env.example', () => {
    const config = loadConfig({ OPENAI_API_KEY: '', MICROSOFT_APP_ID: '', PUBLIC_BASE_URL: '' }, cwd);
    expect(config.llmEnabled).toBe(false);
    expect(config.botAuthEnabled).toBe(false);
  });

  it('names the variable and what is expected when a value is wrong', () => {
    expect(problemsOf({ PORT: 'eighty' }).join('\n')).toMatch(/^PORT must be a whole number from 0 to 65535 \(got "eighty"\)/m);
    expect(problemsOf({ PORT: '70000' }).join('\n')).toMatch(/^PORT /m);
    expect(problemsOf({ STORAGE: 'mongo' }).join('\n')).toMatch(/^STORAGE .*"sqlite".*"postgres"/m);
    expect(problemsOf({ LOG_LEVEL: 'loud' }).join('\n')).toMatch(/^LOG_LEVEL /m);
    expect(problemsOf({ OPENAI_BASE_URL: 'not a url' }).join('\n')).toMatch(/^OPENAI_BASE_URL /m);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', MAX_BODY_BYTES: '-1' })).toHaveLength(3);
  });

  it('requires DATABASE_URL for PostgreSQL storage', () => {
    expect(problemsOf({ STORAGE: 'postgres' }).join('\n')).toMatch(/^DATABASE_URL is required when STORAGE=postgres/m);
  });

  it('requires a tenant and a secret or certificate with a SingleTenant app id, but never echoes secrets', () => {
    const problems = problemsOf({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TYPE: 'SingleTenant' }).join('\n');
    expect(problems).toMatch(/MICROSOFT_APP_TENANT_ID is required/);
    expect(problems).toMatch(/MICROSOFT_APP_PASSWORD is required/);
    expect(loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TENANT_ID: 't', MICROSOFT_APP_PASSWORD: 's' }, cwd).botAuthEnabled).toBe(true);
    expect(loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TENANT_ID: 't', MICROSOFT_APP_TYPE: 'UserAssignedMSI' }, cwd).botAuthEnabled).toBe(true);
    const secretProblem = problemsOf({ SLACK_SIGNING_SECRET: 'super-secret-value' }).join('\n');
    expect(secretProblem).toMatch(/SLACK_BOT_TOKEN/);
    expect(secretProblem).not.toContain('super-secret-value');
  });

  it('enables the LLM path for OpenAI, a compatible server or Azure OpenAI', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }, cwd).llmEnabled).toBe(true);
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }, cwd).llmEnabled).toBe(true);
    expect(problemsOf({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }).join('\n')).toMatch(/AZURE_OPENAI_API_KEY/);
  });
});
