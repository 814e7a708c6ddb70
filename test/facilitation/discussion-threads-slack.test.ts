import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { listAll } from '../../src/core/privacy/personal-data';
import { SHARED_INDEX_DIR, startTestApp, type RunningApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';
import { THREAD_REPLIES } from './thread-fixtures';

jest.setTimeout(240_000);

const SECRET = 'test-signing-secret';
const CHANNEL = 'CTHREADS';
const MEMBERS = ['U0R1', 'U0R2', 'U0R3', 'U0R4', 'U0R5', 'U0R6', 'U0R7', 'U0R8'];

/** Issue 9, points 3–6 on native Slack: message.channels thread replies, message_changed / message_deleted, a private summary. */
describe('discussion threads on native Slack (recording Web API)', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;
  let counter = 0;

  const event = async (payload: Record<string, unknown>): Promise<number> => {
    const body = JSON.stringify({ token: 't', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `EvThread${++counter}`, event_time: Math.floor(Date.now() / 1000), event: payload });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${running.url}/api/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
    await res.text();
    return res.status;
  };
  const mention = (user: string, text: string, threadTs?: string) =>
    event({ type: 'app_mention', user, channel: CHANNEL, text: `<@UBOT> ${text}`, ts: `1700000400.${String(++counter).padStart(6, '0')}`, ...(threadTs ? { thread_ts: threadTs } : {}) });
  const message = (user: string, text: string, ts: string, threadTs?: string) =>
    event({ type: 'message', channel: CHANNEL, channel_type: 'channel', user, text, ts, ...(threadTs ? { thread_ts: threadTs } : {}) });
  const replyKeys = () => listAll(running.app.storage, 'discussion-reply:');
  /** Events are acknowledged before they are handled: wait for what the handling stores. */
  const until = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await done()).toBe(true);
  };

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({
      INDEX_DIR: SHARED_INDEX_DIR,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: apiUrl,
      FACILITATORS: 'UFAY',
      REMINDER_TICK_SECONDS: '0',
      SCHEDULE_TICK_SECONDS: '0',
      // Low enough for the flood below, above what the facilitator sends in a minute.
      RATE_LIMIT_TURNS_PER_MINUTE: '4',
    });
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
  });

  it('records replies in the prompt thread only, applies edits and deletions, and DMs the facilitator a summary without names', async () => {
    expect(await mention('UFAY', 'schedule discuss 2 in 1 min')).toBe(200);
    const [confirmation] = await recorder.waitForChannel(CHANNEL);
    const jobId = /Id: ([0-9a-f]{8})\./.exec(JSON.stringify(confirmation.args.blocks))![1];
    await running.app.discussionSchedule.tick(new Date(Date.now() + 61_000));
    const [, prompt] = await recorder.waitForChannel(CHANNEL, 2);
    expect(JSON.stringify(prompt.args.blocks)).toContain("Replies in this thread are collected for the facilitator's summary");
    const root = prompt.response.ts as string;
    expect((await running.app.jobs.get(jobId))?.result).toMatchObject({ messageId: root });

    const tsOf = (i: number) => `1700000500.${String(i + 1).padStart(6, '0')}`;
    for (let i = 0; i < 5; i++) expect(await message(MEMBERS[i], THREAD_REPLIES[i], tsOf(i), root)).toBe(200);
    await until(async () => (await replyKeys()).length === 5);
    // Unrelated channel messages (top level, another thread): not stored, not answered.
    const keysBefore = await listAll(running.app.storage, '');
    const callsBefore = recorder.calls.length;
    await message(MEMBERS[6], 'Lunch at 12?', '1700000600.000001');
    await message(MEMBERS[7], 'Does anyone have the slides?', '1700000600.000002', '1700000100.000001');
    await message(MEMBERS[5], THREAD_REPLIES[5], tsOf(5), root);
    await until(async () => (await replyKeys()).length === 6);
    // Only the related reply and its delivery receipt are new: the unrelated messages left no record at all.
    const added = (await listAll(running.app.storage, '')).filter((k) => !keysBefore.includes(k));
    expect(added).toEqual([`discussion-reply:slack:${CHANNEL}:${root}:${tsOf(5)}`, expect.stringMatching(/^slack-event:\d{4}-\d{2}-\d{2}:EvThread\d+$/)]);
    expect(added.filter((k) => k.startsWith('slack-event:'))).toHaveLength(1);
    expect(recorder.calls.length).toBe(callsBefore);

    // Opting out, an edit (message_changed) and a deletion (message_deleted).
    await message(MEMBERS[6], '#private not for the summary', tsOf(6), root);
    await message(MEMBERS[7], 'Pilots are useful but nobody funds them.', tsOf(7), root);
    await until(async () => (await replyKeys()).length === 7);
    await event({
      type: 'message',
      subtype: 'message_deleted',
      channel: CHANNEL,
      channel_type: 'channel',
      deleted_ts: tsOf(7),
      ts: '1700000700.000001',
      previous_message: { type: 'message', user: MEMBERS[7], text: 'Pilots…', ts: tsOf(7), thread_ts: root },
    });
    const edited = `${THREAD_REPLIES[2]} Edited: the procurement rules are the real issue.`;
    await event({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      channel_type: 'channel',
      ts: '1700000700.000002',
      message: { type: 'message', user: MEMBERS[2], text: edited, ts: tsOf(2), thread_ts: root, edited: { user: MEMBERS[2], ts: '1700000700.000002' } },
      previous_message: { type: 'message', user: MEMBERS[2], text: THREAD_REPLIES[2], ts: tsOf(2), thread_ts: root },
    });
    const third = `discussion-reply:slack:${CHANNEL}:${root}:${tsOf(2)}`;
    await until(async () => (await replyKeys()).length === 6 && (await running.app.storage.read<{ text: string }>(third))?.value.text === edited);
    const stored = JSON.stringify(await Promise.all((await replyKeys()).map((k) => running.app.storage.read(k))));
    for (const id of MEMBERS) expect(stored).not.toContain(id);

    // The facilitator asks in the thread: the summary goes to their DM, the thread gets a pointer.
    expect(await mention('UFAY', 'summary', root)).toBe(200);
    const [dm] = await recorder.waitForChannel('UFAY');
    const summary = JSON.stringify(dm.args.blocks);
    expect(summary).toContain('6 people replied (6 replies)');
    expect(summary).toMatch(/procurement/);
    expect(summary).toContain('Who owns the data?');
    expect(summary.match(/3 replies/g)).toHaveLength(2);
    for (const id of MEMBERS) expect(summary).not.toContain(id);
    expect(summary).not.toContain('ana.silva@gov.example');
    expect(summary).not.toContain('Pilots are useful');
  });

  it("keeps at most the turn limit of one author's thread replies in a minute, and counts the refused ones", async () => {
    const scheduledIds = () => recorder.postsTo(CHANNEL).flatMap((c) => /Id: ([0-9a-f]{8})\./.exec(JSON.stringify(c.args.blocks))?.[1] ?? []);
    const known = scheduledIds();
    expect(await mention('UFAY', 'schedule discuss 3 in 1 min')).toBe(200);
    await until(async () => scheduledIds().length > known.length);
    const jobId = scheduledIds().find((id) => !known.includes(id))!;
    await running.app.discussionSchedule.tick(new Date(Date.now() + 61_000));
    const root = (await running.app.jobs.get(jobId))!.result!.messageId as string;
    const inThread = async () => (await replyKeys()).filter((k) => k.startsWith(`discussion-reply:slack:${CHANNEL}:${root}:`));
    for (let i = 0; i < 6; i++) expect(await message('U0FLOOD', `Flood message number ${i + 1} about procurement.`, `1700000800.${String(i + 1).padStart(6, '0')}`, root)).toBe(200);
    await until(async () => (await inThread()).length === 4);
    // Another author is not held back by the flood.
    await message('U0CALM', 'One calm reply about data quality.', '1700000800.000100', root);
    await until(async () => (await inThread()).length === 5);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/^govai_rate_limited_turns_total\{channel="slack"\} 2$/m);
    expect((await inThread()).length).toBe(5);
  });
});
