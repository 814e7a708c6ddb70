import { SHARED_INDEX_DIR } from '../support/app-harness';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { POLL_PREFIX } from '../../src/core/facilitation/polls/poll-store';
import { startTestApp, type RunningApp } from '../support/app-harness';
import { blockKitProblems } from '../slack/block-kit-limits';
import { SlackApiRecorder } from '../slack/slack-api-recorder';

jest.setTimeout(240_000);

const SECRET = 'test-signing-secret';
const CHANNEL = 'CPOLL';
const VOTERS = ['UV1', 'UV2', 'UV3', 'UV4', 'UV5', 'UV6'];

describe('a facilitator poll on native Slack (recording Web API)', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;
  let counter = 0;

  async function send(path: string, body: string, contentType: string): Promise<number> {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
    await res.text();
    return res.status;
  }
  const mention = (user: string, text: string) =>
    send(
      '/api/slack/events',
      JSON.stringify({
        token: 't',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: `EvPoll${++counter}`,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'app_mention', user, channel: CHANNEL, text: `<@UBOT> ${text}`, ts: `1700000200.00${counter}` },
      }),
      'application/json',
    );
  const press = (user: string, value: Record<string, unknown>, messageTs: string, threadTs?: string) =>
    send(
      '/api/slack/interactions',
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          user: { id: user },
          team: { id: 'T1' },
          channel: { id: CHANNEL },
          container: { type: 'message', channel_id: CHANNEL, message_ts: messageTs, ...(threadTs ? { thread_ts: threadTs } : {}) },
          actions: [{ type: 'button', action_id: 'govai-1', value: JSON.stringify(value), action_ts: `${Date.now() / 1000}${++counter}` }],
        }),
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  const buttons = (blocks: any[]) => blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : [])).filter((e: any) => e.type === 'button');

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({
      INDEX_DIR: SHARED_INDEX_DIR,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: apiUrl,
      FACILITATORS: 'UFAY',
      REMINDER_TICK_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
  });

  it('updates the one poll message with chat.update for 6 votes, results from the 5th, votes confirmed ephemerally', async () => {
    expect(await mention('UFAY', 'poll "Which step is hardest?" "Data" "Skills" "Procurement"')).toBe(200);
    const [card] = await recorder.waitForChannel(CHANNEL);
    expect(blockKitProblems({ text: card.args.text, blocks: card.args.blocks })).toEqual([]);
    expect(JSON.stringify(card.args.blocks)).toMatch(/0 votes so far/);
    const votes = buttons(card.args.blocks)
      .map((b: any) => JSON.parse(b.value))
      .filter((v: any) => v.command === 'poll.vote');
    expect(votes.map((v: any) => v.args.answer)).toEqual(['1', '2', '3']);

    for (const [i, user] of VOTERS.entries()) {
      expect(await press(user, votes[i % 3], card.response.ts, card.args.thread_ts)).toBe(200);
      await recorder.waitForUpdate(CHANNEL, i + 1);
    }
    const updates = recorder.of('chat.update').filter((c) => c.args.channel === CHANNEL);
    expect(updates).toHaveLength(6);
    for (const u of updates) expect(u.args.ts).toBe(card.response.ts);
    const texts = updates.map((u) => JSON.stringify(u.args.blocks));
    expect(texts.slice(0, 4).map((t) => /(\d) votes? so far/.exec(t)?.[1])).toEqual(['1', '2', '3', '4']);
    for (const t of texts.slice(0, 4)) expect(t).not.toMatch(/\d+%/);
    expect(texts[4]).toMatch(/40%/);
    expect(texts[5]).toMatch(/33%/);
    for (const u of updates) expect(blockKitProblems({ text: u.args.text, blocks: u.args.blocks })).toEqual([]);
    // No new message in the channel: only the poll card itself.
    expect(recorder.postsTo(CHANNEL)).toHaveLength(1);
    const ephemeral = await recorder.waitFor('chat.postEphemeral', 6);
    expect(ephemeral.map((e) => e.args.user).sort()).toEqual(VOTERS);
    expect(ephemeral.every((e) => /Your vote counted/.test(e.args.text))).toBe(true);

    const keys = await running.app.storage.list(POLL_PREFIX);
    const raw = JSON.stringify(await Promise.all(keys.map((k) => running.app.storage.read(k))));
    for (const user of VOTERS) expect(raw).not.toContain(user);
    // Nor is any voter's participation remembered next to the poll's message.
    expect(await running.app.storage.list('slack-message:UV')).toEqual([]);

    // The facilitator closes it by typing: the same message is updated, its buttons gone.
    await mention('UFAY', 'close poll');
    const [, , , , , , closed] = await recorder.waitForUpdate(CHANNEL, 7);
    expect(closed.args.ts).toBe(card.response.ts);
    expect(JSON.stringify(closed.args.blocks)).toMatch(/This poll is closed\. 6 people voted/);
    expect(buttons(closed.args.blocks)).toEqual([]);
  });
});
