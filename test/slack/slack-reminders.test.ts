import { startTestApp, type RunningApp } from '../support/app-harness';
import { blockKitProblems } from './block-kit-limits';
import { SlackApiRecorder } from './slack-api-recorder';

describe('reminders for native-Slack learners', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({ SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: apiUrl, REMINDER_TICK_SECONDS: '0' });
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
  });

  it('sends the daily nudge as a direct message through the Slack Web API', async () => {
    const optedIn = new Date('2026-11-28T06:00:00Z');
    await running.app.coach.handle({ channelId: 'slack', userId: 'U0REMIND', conversationId: 'D0REMIND', scope: 'personal', text: 'remind me at 08:30', now: optedIn, locale: 'en-US' });
    const report = await running.app.reminders.tick(new Date('2026-11-28T08:31:00Z'));
    expect(report.sent).toBe(1);
    const [post] = recorder.postsTo('U0REMIND');
    expect(post).toBeDefined();
    expect(blockKitProblems({ text: post.args.text, blocks: post.args.blocks })).toEqual([]);
    expect(JSON.stringify(post.args.blocks)).toMatch(/stop reminders/i);
  });
});
