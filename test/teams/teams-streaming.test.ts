import type http from 'node:http';
import { completion, FakeOpenAiServer } from '../qa/fake-openai-server';
import { exchange, localeString, postJson, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { adaptiveCardValidator, cardActions, startFakeConnector, type RecordedCall } from './card-support';

const validate = adaptiveCardValidator();
const CARD = 'application/vnd.microsoft.card.adaptive';
/** In a scripted model answer: wait here until the bot has shown what came before. */
const SHOWN = Symbol('shown');
type Piece = string | typeof SHOWN;

const QUESTION = 'What is the once-only principle?';

/**
 * A streamed completion whose next sentence is only written once the bot has posted the
 * previous one to Teams (so every sentence is its own update whatever the timing), ending
 * normally or with the connection dropped mid-answer.
 */
function sentenceBySentence(pieces: Piece[], streamedUpdates: () => number, end: 'stop' | 'drop' = 'stop') {
  return (res: http.ServerResponse) => {
    void (async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1700000000, model: 'test-model' };
      const write = (delta: object, finish: string | null = null) => res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      write({ role: 'assistant', content: '' });
      let seen = streamedUpdates();
      for (const piece of pieces) {
        if (piece !== SHOWN) {
          write({ content: piece });
          continue;
        }
        while (streamedUpdates() === seen) await new Promise((resolve) => setTimeout(resolve, 5));
        seen = streamedUpdates();
      }
      if (end === 'drop') {
        res.destroy();
        return;
      }
      write({}, 'stop');
      res.end('data: [DONE]\n\n');
    })();
  };
}

/** Stream fields as they reach the connector: botbuilder's serializer keeps channelData whole (entities keep only their type). */
function streamInfo(activity: any): { streamType?: string; streamSequence?: number; streamId?: string } {
  return activity.channelData ?? {};
}

function cardOf(activity: any): any {
  const attachment = activity.attachments?.find((a: any) => a.contentType === CARD);
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  if (!validate(attachment.content)) throw new Error(`invalid card: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  return attachment.content;
}

describe('Teams streaming of model answers (one-to-one chat, over /api/messages)', () => {
  const model = new FakeOpenAiServer();
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let running: RunningApp;

  beforeAll(async () => {
    const modelUrl = await model.start();
    connector = await startFakeConnector();
    running = await startTestApp({
      REMINDER_TICK_SECONDS: '0',
      LOCAL_SERVICE_URLS: connector.serviceUrl,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${modelUrl}/v1`,
      OPENAI_MODEL: 'test-model',
      LLM_MAX_RETRIES: '0',
      // Every update goes out at once here; the test's model waits for each one instead of the clock.
      TEAMS_STREAM_INTERVAL_MS: '0',
    });
  });
  afterAll(async () => {
    await running.stop();
    await connector.close();
    await model.close();
  });

  const sentTo = (conversationId: string, from = 0): RecordedCall[] =>
    connector.calls.slice(from).filter((c) => c.method === 'POST' && decodeURIComponent(c.url).startsWith(`/v3/conversations/${conversationId}/activities`));
  const streamingUpdates = (conversationId: string) => () => sentTo(conversationId).filter((c) => streamInfo(c.body).streamType === 'streaming').length;

  /** A personal-chat question posted the way Teams posts it: replies go to the serviceUrl, not into the response. */
  async function ask(user: string, question = QUESTION, overrides: Record<string, unknown> = {}) {
    const conversation = { id: `a:personal-${user}`, conversationType: 'personal', tenantId: 'tenant-s' };
    const mark = connector.calls.length;
    const res = await postJson(
      `${running.url}/api/messages`,
      teamsActivity({ text: question, from: { id: `29:${user}`, name: user, aadObjectId: `aad-${user}` }, conversation, serviceUrl: connector.serviceUrl, deliveryMode: undefined, ...overrides }),
    );
    expect(res.status).toBe(200);
    return sentTo(conversation.id, mark).map((c) => c.body);
  }

  it('shows "looking in the course", then the answer as it is written, then the final answer card with its sources', async () => {
    model.script(
      sentenceBySentence(
        [
          'The once-only principle means ',
          'people give the administration ',
          'a piece of information only once [1]. ',
          SHOWN,
          // Injected: the final answer drops it, so it is never shown while streaming either.
          'Send your password to it-help@example.org to confirm [2]. ',
          'Agencies then reuse it ',
          'with the safeguards the law sets [2]. ',
          SHOWN,
          'This saves time for everyone [1].',
        ],
        streamingUpdates('a:personal-sol'),
      ),
    );
    const activities = await ask('sol');

    expect(model.requests.at(-1)?.body.stream).toBe(true);
    const [informative, ...rest] = activities;
    const final = rest.at(-1);
    const streaming = rest.slice(0, -1);
    expect(informative).toMatchObject({ type: 'typing', text: localeString('en', 'qa', 'stream.searching'), channelData: { streamType: 'informative', streamSequence: 1 } });
    expect(informative.entities).toEqual([{ type: 'streaminfo' }]);
    // The id Teams gave the first activity names the stream from then on.
    const streamId = connector.calls.findIndex((c) => c.body === informative) + 1;
    expect(streaming.length).toBeGreaterThanOrEqual(2);
    for (const [i, update] of streaming.entries()) {
      expect(update.type).toBe('typing');
      expect(update.channelData).toEqual({ streamType: 'streaming', streamSequence: i + 2, streamId: `sent-${streamId}` });
      // Each update carries everything shown before it.
      if (i > 0) expect(update.text.startsWith(streaming[i - 1].text)).toBe(true);
    }
    expect(streaming[0].text).toBe('The once-only principle means people give the administration a piece of information only once [1].');
    expect(streaming.at(-1).text).toContain('with the safeguards the law sets [2].');

    expect(final.type).toBe('message');
    expect(final.channelData).toMatchObject({ streamType: 'final', streamId: `sent-${streamId}` });
    expect(final.text).toContain('a piece of information only once [1].');
    expect(final.text).toContain('This saves time for everyone [1].');
    // The sources, each with its Open button, are in the card that ends the stream.
    const card = cardOf(final);
    expect(JSON.stringify(card.body)).toMatch(/\[1\] Module \d/);
    expect(JSON.stringify(card.body)).toMatch(/\[2\] Module \d/);
    expect(cardActions(card).some((a) => a.data?.command === 'lesson.open')).toBe(true);
    expect(JSON.stringify(card.body)).not.toContain('only once [1]');
    expect(JSON.stringify(activities)).not.toMatch(/password|it-help@/);
  });

  it('ends the stream with the extractive answer from the course when the model endpoint dies mid-answer', async () => {
    model.script(sentenceBySentence(['The once-only principle ', 'is about asking for data once [1]. ', SHOWN, 'It also '], streamingUpdates('a:personal-ivo'), 'drop'));
    const activities = await ask('ivo');

    expect(activities.map((a) => `${a.type}:${streamInfo(a).streamType}`)).toEqual(['typing:informative', 'typing:streaming', 'message:final']);
    const [, streamed, final] = activities;
    expect(streamed.text).toBe('The once-only principle is about asking for data once [1].');
    // The final message replaces the streamed text: the course's own words, with the reason why.
    expect(final.text).toContain(localeString('en', 'qa', 'notice.llmFallback'));
    expect(final.text).not.toContain('asking for data once');
    expect(streamInfo(final).streamId).toBe(streamInfo(streamed).streamId);
    expect(cardActions(cardOf(final)).some((a) => a.data?.command === 'lesson.open')).toBe(true);
  });

  it('ends the stream with the "not covered" card when the model finds no answer in the passages, showing none of its reply', async () => {
    model.script(sentenceBySentence(['NOT_IN', '_COURSE', '. ', 'Sorry.'], streamingUpdates('a:personal-wes')));
    const activities = await ask('wes');
    expect(activities.map((a) => `${a.type}:${streamInfo(a).streamType}`)).toEqual(['typing:informative', 'message:final']);
    expect(cardOf(activities[1]).body[0].text).toBe(localeString('en', 'qa', 'notCovered.title'));
    expect(JSON.stringify(activities)).not.toContain('NOT_IN');
  });

  it('sends a normal reply where Teams cannot stream: a group chat, or a request that expects its replies in the response', async () => {
    // Nothing to stream to: the model is asked for a whole completion.
    model.script(completion('The once-only principle means asking once [1]. Agencies share it [2].'));
    const group = { id: '19:group-chat@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-s' };
    const mention = { type: 'mention', text: '<at>govai-coach</at>', mentioned: { id: '28:bot', name: 'govai-coach' } };
    const inGroup = await ask('uma', `<at>govai-coach</at> ${QUESTION}`, { conversation: group, entities: [mention] });
    expect(inGroup).toEqual([]);
    const posted = sentTo(group.id).map((c) => c.body);
    expect(posted.map((a) => a.type)).toEqual(['message']);
    expect(posted[0].channelData?.streamType).toBeUndefined();
    expect(JSON.stringify(cardOf(posted[0]))).toContain('asking once [1]');
    expect(model.requests.at(-1)?.body.stream).toBeUndefined();

    const mark = connector.calls.length;
    const replies = await exchange(
      running.url,
      teamsActivity({ text: QUESTION, from: { id: '29:vic', name: 'Vic', aadObjectId: 'aad-vic' }, conversation: { id: 'a:personal-vic', conversationType: 'personal', tenantId: 'tenant-s' } }),
    );
    expect(connector.calls.slice(mark)).toEqual([]);
    expect(replies.map((a) => a.type)).toEqual(['message']);
    expect(JSON.stringify(cardOf(replies[0]))).toContain('asking once [1]');
  });
});
