import fs from 'node:fs';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { learnerKey } from '../../src/core/learner';
import { localeString, startTestApp, tempDir, type RunningApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';
import { downloadLinksIn, rowsMentioning, sqliteRows } from './privacy-harness';

const SECRET = 'privacy-signing-secret';

/** `my data` as a native Slack learner (Events API direct messages): export link, then delete. */
describe('my data (native Slack, SQLite)', () => {
  const recorder = new SlackApiRecorder();
  const dataDir = tempDir('govai-privacy-slack-');
  const user = `UPRIV${process.pid}`;
  const dmChannel = `DPRIV${process.pid}`;
  let running: RunningApp;
  let events = 0;

  async function dm(text: string): Promise<any> {
    const before = recorder.postsTo(dmChannel).length;
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `EvPriv${process.pid}${++events}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel_type: 'im', user, channel: dmChannel, text, ts: `${1700000000 + events}.000100`, event_ts: `${1700000000 + events}.000100` },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${running.url}/api/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
    expect(res.status).toBe(200);
    const posts = await recorder.waitForChannel(dmChannel, before + 1);
    return posts[posts.length - 1].args;
  }

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({
      DATA_DIR: dataDir,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-privacy',
      SLACK_API_URL: apiUrl,
      REMINDER_TICK_SECONDS: '0',
      WEBCHAT_ENABLED: 'false',
      RETENTION_PURGE_INTERVAL_HOURS: '0',
    });
    await dm('start');
    await dm('remind me at 07:45');
    await dm('What did the court decide about SyRI?');
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("sends the export as a link in the direct message, and the file holds the Slack learner's records", async () => {
    const card = await dm('meus dados');
    expect(JSON.stringify(card.blocks)).toContain(localeString('en', 'privacy', 'actions.export'));
    const exported = await dm('1');
    const [link] = downloadLinksIn(exported.blocks);
    expect(link).toContain(`${running.url}/privacy/export/`);
    const file = await (await fetch(link)).json();
    expect(file.subject).toEqual({ channelId: 'slack', userId: user });
    expect(file.sections.reminders.time).toBe('07:45');
    expect(file.sections.learnerRecord.data.qa.history).toHaveLength(1);
    expect(file.sections.learnerRecord.data.course.place).toBeDefined();
  });

  it('after the confirmation, nothing in storage mentions the Slack user or their direct-message channel', async () => {
    expect(rowsMentioning(sqliteRows(running.app.config.paths.sqlite), [user]).length).toBeGreaterThan(1);
    await dm('my data');
    await dm('2');
    const done = await dm('1');
    expect(done.text).toContain(localeString('en', 'privacy', 'delete.done').slice(0, 40));
    const rows = sqliteRows(running.app.config.paths.sqlite);
    expect(rowsMentioning(rows, [user, dmChannel, learnerKey('slack', user)])).toEqual([]);
  });
});
