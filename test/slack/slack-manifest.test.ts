import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { REPO_ROOT, SHARED_DIR } from '../support/app-harness';
import { SLACK_PATHS } from '../../src/channels/slack/restify-slack-receiver';

const SCHEMA_DIR = path.join(SHARED_DIR, 'schemas', 'slack');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));

/** The top schema refers to the versioned ones by URL; register the local copies under those URLs. */
function manifestValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const top = readJson('manifest.schema.json');
  const refs = new Set<string>(JSON.stringify(top).match(/https:\/\/raw\.githubusercontent\.com\/[^"]+\.json/g) ?? []);
  expect(refs.size).toBe(2);
  for (const url of refs) ajv.addSchema(readJson(path.basename(url)), url);
  return ajv.compile(top);
}

describe('deployment/slack/manifest.yaml', () => {
  const manifest = parse(fs.readFileSync(path.join(REPO_ROOT, 'deployment', 'slack', 'manifest.yaml'), 'utf8'));

  it('validates against the public Slack manifest schema', () => {
    const validate = manifestValidator();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is refused by the same schema when broken, so the check above means something', () => {
    const validate = manifestValidator();
    expect(validate({ ...manifest, display_information: { name: '' } })).toBe(false);
    expect(validate({ ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'course', description: 'x' }] } })).toBe(false);
  });

  it('points events, interactivity and /course at the routes the bot serves, with the scopes they need', () => {
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe(SLACK_PATHS.events);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_PATHS.interactions);
    const course = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/course');
    expect(new URL(course.url).pathname).toBe(SLACK_PATHS.commands);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['message.im', 'app_mention', 'app_home_opened']));
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['chat:write', 'im:history', 'app_mentions:read', 'commands', 'users:read']));
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
  });
});
