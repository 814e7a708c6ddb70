import { SlackEventDedupe } from '../../src/channels/slack/slack-event-dedupe';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { createLogger } from '../../src/logging/logger';
import { startTestApp, type RunningApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';

const SECRET = 'at-least-once-secret';

describe('Slack events are answered at least once, and never twice', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: apiUrl, REMINDER_TICK_SECONDS: '0' });
  });
  afterAll(async () => {
    await running.stop();
    await recorder.stop();
  });

  const envelope = (eventId: string, user: string, channel: string, eventTime: number) =>
    JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: eventId,
      event_time: eventTime,
      event: { type: 'message', channel_type: 'im', user, channel, text: 'help', ts: `${eventTime}.000100` },
    });

  const deliver = async (body: string, retryNum?: number) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) };
    if (retryNum !== undefined) Object.assign(headers, { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' });
    return (await fetch(`${running.url}/api/slack/events`, { method: 'POST', headers, body })).status;
  };

  /** Lets in-flight turns finish, then counts what reached the learner. */
  const postsAfterSettling = async (channel: string) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return recorder.postsTo(channel).length;
  };

  it('answers the retry of an event whose first attempt died mid-answer, exactly once', async () => {
    const eventTime = Math.floor(Date.now() / 1000);
    // An instance took the event two minutes ago and crashed before answering: its lease ran out.
    const crashed = new SlackEventDedupe(running.app.storage, createLogger({ level: 'silent' }));
    expect((await crashed.claim('EvCrash', eventTime, new Date(Date.now() - 120_000))).outcome).toBe('process');

    const body = envelope('EvCrash', 'U-crash', 'D-crash', eventTime);
    expect(await deliver(body, 1)).toBe(200);
    const [post] = await recorder.waitForChannel('D-crash');
    expect(post.args.text).toBe('What I can do');

    // Slack's later retries of the now finished event get no second answer.
    expect(await deliver(body, 2)).toBe(200);
    expect(await deliver(body, 3)).toBe(200);
    expect(await postsAfterSettling('D-crash')).toBe(1);
  });

  it('asks Slack to retry later (not 200) while another attempt holds a live lease, and does not answer it twice', async () => {
    const eventTime = Math.floor(Date.now() / 1000);
    const other = new SlackEventDedupe(running.app.storage, createLogger({ level: 'silent' }));
    const claim = await other.claim('EvBusy', eventTime);
    expect(claim.outcome).toBe('process');

    const body = envelope('EvBusy', 'U-busy', 'D-busy', eventTime);
    expect(await deliver(body, 1)).toBe(503);
    expect(await postsAfterSettling('D-busy')).toBe(0);

    // The other attempt finishes (it answered): the next retry is acknowledged and ignored.
    if (claim.outcome === 'process') await claim.complete();
    expect(await deliver(body, 2)).toBe(200);
    expect(await postsAfterSettling('D-busy')).toBe(0);
  });

  it('answers a first delivery once and ignores its retries', async () => {
    const body = envelope('EvOnce', 'U-once', 'D-once', Math.floor(Date.now() / 1000));
    expect(await deliver(body)).toBe(200);
    await recorder.waitForChannel('D-once');
    expect(await deliver(body, 1)).toBe(200);
    expect(await postsAfterSettling('D-once')).toBe(1);
  });
});
