import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { startTestApp, type RunningApp } from '../support/app-harness';
import { blockKitProblems } from './block-kit-limits';
import { SlackApiRecorder } from './slack-api-recorder';

const SECRET = 'test-signing-secret';

interface SendOptions {
  contentType?: string;
  /** Seconds added to the current time for X-Slack-Request-Timestamp. */
  skewSeconds?: number;
  signature?: string | null;
  headers?: Record<string, string>;
}

let eventCounter = 0;
function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${Date.now()}${++eventCounter}`): Record<string, unknown> {
  return { token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event };
}

function dm(user: string, channel: string, text: string): Record<string, unknown> {
  return { type: 'message', channel_type: 'im', user, channel, text, ts: `${Date.now() / 1000}`.slice(0, 17), event_ts: '1700000000.000001' };
}

describe('native Slack (Bolt on /api/slack/*)', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;

  async function send(path: string, body: string, options: SendOptions = {}): Promise<{ status: number; text: string }> {
    const ts = String(Math.floor(Date.now() / 1000) + (options.skewSeconds ?? 0));
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', 'x-slack-request-timestamp': ts, ...options.headers };
    if (options.signature !== null) headers['x-slack-signature'] = options.signature ?? signSlackRequest(SECRET, ts, body);
    const res = await fetch(`${running.url}${path}`, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }
  const sendEvent = (envelope: Record<string, unknown>, options?: SendOptions) => send('/api/slack/events', JSON.stringify(envelope), options);
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const interaction = (payload: Record<string, unknown>) => send('/api/slack/interactions', form({ payload: JSON.stringify(payload) }), { contentType: 'application/x-www-form-urlencoded' });

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: apiUrl });
    // Two button-only routes standing in for a quiz question and its answer (the course engine's own routes are tested elsewhere).
    running.app.coach.registry
      .add({
        name: 'test.ask',
        handler: (turn) => [
          turn.reply({
            intent: 'ask-question',
            text: 'Which is right?',
            key: 'quiz:q1',
            choices: {
              selection: 'single',
              command: 'test.answer',
              args: { question: 'q1' },
              options: [
                { id: 'a', label: 'A' },
                { id: 'b', label: 'B' },
              ],
            },
          }),
        ],
      })
      .add({ name: 'test.answer', handler: (turn) => [turn.reply({ intent: 'quiz-feedback', text: `You chose ${turn.args.answer}.`, replaces: `quiz:${turn.args.question}` })] });
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
  });

  it('answers a correctly signed url_verification with its challenge', async () => {
    const res = await sendEvent({ type: 'url_verification', token: 't', challenge: 'challenge-123' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'challenge-123' });
  });

  it('refuses unsigned, stale, future-dated and wrongly signed requests with 401', async () => {
    const body = eventEnvelope({ type: 'url_verification' });
    expect((await sendEvent({ type: 'url_verification', challenge: 'x' }, { signature: null })).status).toBe(401);
    expect((await sendEvent(body, { skewSeconds: -6 * 60 })).status).toBe(401);
    expect((await sendEvent(body, { skewSeconds: 6 * 60 })).status).toBe(401);
    expect((await sendEvent(body, { signature: signSlackRequest('another-secret', String(Math.floor(Date.now() / 1000)), JSON.stringify(body)) })).status).toBe(401);
    const res = await send('/api/slack/commands', form({ command: '/course', text: 'help', user_id: 'U9', channel_id: 'D9' }), {
      contentType: 'application/x-www-form-urlencoded',
      signature: 'v0=deadbeef',
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error.code).toBe('bad_signature');
  });

  it('answers a signed DM with a Block Kit message through chat.postMessage', async () => {
    const res = await sendEvent(eventEnvelope(dm('U1', 'D1', 'help')));
    expect(res.status).toBe(200);
    const [post] = await recorder.waitForChannel('D1');
    expect(post.args.text).toBe('What I can do');
    expect(blockKitProblems({ text: post.args.text, blocks: post.args.blocks })).toEqual([]);
    expect(JSON.stringify(post.args.blocks)).toContain('What I can do');
    expect(post.args.thread_ts).toBeUndefined();
  });

  it('processes a Slack retry of the same event id only once', async () => {
    const envelope = eventEnvelope(dm('U5', 'D5', 'help'), 'EvRetry1');
    expect((await sendEvent(envelope)).status).toBe(200);
    await recorder.waitForChannel('D5');
    expect((await sendEvent(envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    // A later message from the same learner is answered; the retry before it was not.
    await sendEvent(eventEnvelope(dm('U5', 'D5', 'language')));
    await recorder.waitForChannel('D5', 2);
    const posts = recorder.postsTo('D5');
    expect(posts).toHaveLength(2);
    expect(posts[1].args.text).toMatch(/^Language/);
  });

  it('answers an @mention in a channel in a thread, with the mention removed', async () => {
    await sendEvent(eventEnvelope({ type: 'app_mention', user: 'U6', channel: 'C6', text: '<@UBOT> help', ts: '1700000100.000200' }));
    const [post] = await recorder.waitForChannel('C6');
    expect(post.args.thread_ts).toBe('1700000100.000200');
    expect(post.args.text).toBe('What I can do');
  });

  it('sends progress asked for in a channel to the learner’s DM, and only a pointer to the channel', async () => {
    await sendEvent(eventEnvelope({ type: 'app_mention', user: 'U7', channel: 'C7', text: '<@UBOT> progress', ts: '1700000100.000300' }));
    const t = running.app.localizer.forLanguage('en');
    const [dm] = await recorder.waitForChannel('U7');
    expect(JSON.stringify(dm.args.blocks)).toContain(t('course:progress.title'));
    const [pointer] = await recorder.waitForChannel('C7');
    expect(pointer.args.text).toBe(t('common:personal.sentPrivately'));
    expect(JSON.stringify(pointer.args.blocks)).not.toContain(t('course:progress.lessons'));
  });

  it('handles a button press and replaces the answered question with chat.update', async () => {
    const press = (value: Record<string, unknown>, messageTs?: string) =>
      interaction({
        type: 'block_actions',
        user: { id: 'U7' },
        channel: { id: 'D7' },
        container: { type: 'message', channel_id: 'D7', message_ts: messageTs ?? '1700000000.000001' },
        actions: [{ type: 'button', action_id: 'govai-1', value: JSON.stringify(value), action_ts: `${Date.now() / 1000}` }],
      });
    expect((await press({ command: 'test.ask', args: {} })).status).toBe(200);
    const [question] = await recorder.waitForChannel('D7');
    expect(question.args.blocks.some((b: { type: string }) => b.type === 'actions')).toBe(true);
    // The learner presses option B on the question message.
    expect((await press({ command: 'test.answer', args: { question: 'q1', answer: 'b' } }, question.response.ts)).status).toBe(200);
    const [update] = await recorder.waitForUpdate('D7');
    expect(update.args).toMatchObject({ channel: 'D7', ts: question.response.ts });
    expect(JSON.stringify(update.args.blocks)).toContain('You chose b.');
    expect(JSON.stringify(update.args.blocks)).not.toContain('"type":"button"');
  });

  it('answers a button pressed on the App Home tab in the learner’s DM with the bot', async () => {
    await interaction({
      type: 'block_actions',
      user: { id: 'U13' },
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'home' },
      actions: [{ type: 'button', action_id: 'govai-1', value: JSON.stringify({ command: 'help', args: {} }), action_ts: '1700000002.000001' }],
    });
    const [post] = await recorder.waitForChannel('U13');
    expect(post.args.text).toBe('What I can do');
  });

  it('asks for a selection when a multiple-choice answer is submitted with nothing checked', async () => {
    await interaction({
      type: 'block_actions',
      user: { id: 'U14' },
      channel: { id: 'D14' },
      container: { type: 'message', channel_id: 'D14', message_ts: '1700000000.000014' },
      state: { values: { b1: { 'govai-choice-1': { type: 'checkboxes', selected_options: [] } } } },
      actions: [{ type: 'button', action_id: 'govai-submit', value: JSON.stringify({ command: 'test.answer', args: { question: 'q9' } }), action_ts: '1700000003.000001' }],
    });
    const [note] = await recorder.waitFor('chat.postEphemeral');
    expect(note.args).toMatchObject({ channel: 'D14', user: 'U14', text: expect.stringContaining('Select at least one answer') });
    expect(recorder.postsTo('D14')).toEqual([]);
  });

  it('takes a real course quiz question in Slack: the answered question is replaced by its feedback', async () => {
    const press = (value: string, actionId: string, messageTs: string, extra: Record<string, unknown> = {}) =>
      interaction({
        type: 'block_actions',
        user: { id: 'U20' },
        channel: { id: 'D20' },
        container: { type: 'message', channel_id: 'D20', message_ts: messageTs },
        actions: [{ type: 'button', action_id: actionId, value, action_ts: `${Date.now() / 1000}` }],
        ...extra,
      });
    const buttonsOf = (blocks: any[]) => blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []));
    await sendEvent(eventEnvelope(dm('U20', 'D20', 'modules')));
    const [map] = await recorder.waitForChannel('D20');
    const moduleId = buttonsOf(map.args.blocks)
      .map((b: { value: string }) => JSON.parse(b.value))
      .find((v: { command: string }) => v.command === 'module.open').args.module;
    await press(JSON.stringify({ command: 'quiz', args: { id: moduleId } }), 'govai-1', map.response.ts);
    const [, question] = await recorder.waitForChannel('D20', 2);
    expect(blockKitProblems({ text: question.args.text, blocks: question.args.blocks })).toEqual([]);
    const elements = question.args.blocks.flatMap((b: { type: string; elements?: any[] }) => (b.type === 'actions' ? b.elements! : []));
    const boxes = elements.find((e: { type: string }) => e.type === 'checkboxes');
    const answer = boxes ? elements.find((e: { action_id: string }) => e.action_id === 'govai-submit') : elements.find((e: { value?: string }) => e.value?.includes('quiz.answer'));
    const checked = boxes ? { state: { values: { b: { [boxes.action_id]: { type: 'checkboxes', selected_options: [boxes.options[0]] } } } } } : {};
    await press(answer.value, answer.action_id, question.response.ts, checked);
    const [update] = await recorder.waitForUpdate('D20');
    expect(update.args).toMatchObject({ channel: 'D20', ts: question.response.ts });
    // The question's answer buttons are gone from the message, so it cannot be answered twice.
    expect(JSON.stringify(update.args.blocks)).not.toContain('quiz.answer');
    expect(blockKitProblems({ text: update.args.text, blocks: update.args.blocks })).toEqual([]);
  });

  it('changes the learner language from a button press', async () => {
    await interaction({
      type: 'block_actions',
      user: { id: 'U8' },
      channel: { id: 'D8' },
      container: { type: 'message', channel_id: 'D8', message_ts: '1700000000.000002' },
      actions: [{ type: 'button', action_id: 'govai-3', value: JSON.stringify({ command: 'language', args: { lang: 'fr' } }), action_ts: '1700000001.000001' }],
    });
    await recorder.waitForChannel('D8');
    expect((await running.app.coach.readLearner('slack', 'U8'))?.language).toBe('fr');
  });

  it('answers the /course slash command in the learner’s DM and says so in the channel', async () => {
    const res = await send('/api/slack/commands', form({ command: '/course', text: 'help', user_id: 'U10', channel_id: 'C10', trigger_id: 't10' }), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('direct messages') });
    const [post] = await recorder.waitForChannel('U10');
    expect(post.args.text).toBe('What I can do');
  });

  it('/course alone in a DM starts (or, without a course, shows help) and acknowledges with an empty body', async () => {
    const res = await send('/api/slack/commands', form({ command: '/course', text: '', user_id: 'U11', channel_id: 'D11', trigger_id: 't11' }), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const [post] = await recorder.waitForChannel('U11');
    expect(blockKitProblems({ text: post.args.text, blocks: post.args.blocks })).toEqual([]);
  });

  it('publishes the App Home view when the Home tab opens, without changing the learner record', async () => {
    await sendEvent(eventEnvelope({ type: 'app_home_opened', user: 'U12', channel: 'D12', tab: 'home' }));
    const [publish] = await recorder.waitFor('views.publish');
    expect(publish.args.user_id).toBe('U12');
    expect(publish.args.view.type).toBe('home');
    expect(blockKitProblems({ blocks: publish.args.view.blocks }, 100)).toEqual([]);
    expect(await running.app.coach.readLearner('slack', 'U12')).toBeUndefined();
  });
});
