import { learnerKey, type LearnerRecord } from '../../src/core/learner';
import { exchange, postJson, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { adaptiveCardValidator, cardActions, startFakeConnector } from './card-support';

const validate = adaptiveCardValidator();
const BOT = { id: '28:bot', name: 'govai-coach' };
const CARD = 'application/vnd.microsoft.card.adaptive';

function cardOf(activity: any): any {
  const attachment = activity.attachments?.find((a: any) => a.contentType === CARD);
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  if (!validate(attachment.content)) throw new Error(`invalid card: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  return attachment.content;
}

function execute(data: { command: string; args?: Record<string, string> }, overrides: Record<string, unknown> = {}) {
  return teamsActivity({
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: data.command, data: { args: {}, ...data } }, trigger: 'manual' },
    replyToId: 'card-1',
    deliveryMode: undefined,
    ...overrides,
  });
}

describe('Teams over POST /api/messages', () => {
  let running: RunningApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    // Without credentials the bot posts only to loopback service URLs the operator lists: the stand-in connector here.
    running = await startTestApp({ REMINDER_TICK_SECONDS: '0', LOCAL_SERVICE_URLS: connector.serviceUrl });
  });
  afterAll(async () => {
    await running.stop();
    await connector.close();
  });

  it('answers a personal chat message with a valid Adaptive Card using universal actions', async () => {
    const [reply] = await exchange(running.url, teamsActivity({ text: 'help' }));
    const card = cardOf(reply);
    expect(card.body[0].text).toBe('What I can do');
    expect(reply.summary).toBe('What I can do');
    const actions = cardActions(card);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.type === 'Action.Execute' && a.fallback?.type === 'Action.Submit')).toBe(true);
  });

  it('welcomes on install and stores the conversation reference for proactive messages', async () => {
    const install = teamsActivity({
      type: 'installationUpdate',
      action: 'add',
      from: { id: '29:new', name: 'Bea', aadObjectId: 'aad-bea' },
      conversation: { id: 'a:personal-bea', conversationType: 'personal', tenantId: 't1' },
    });
    const [welcome] = await exchange(running.url, install);
    expect(cardOf(welcome).body[0].text).toMatch(/Welcome/);
    const stored = await running.app.storage.read<any>(`convref:${learnerKey('msteams', 'aad-bea')}`);
    expect(stored?.value).toMatchObject({ active: true, scope: 'personal', reference: { conversation: { id: 'a:personal-bea' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' } });

    await exchange(running.url, { ...install, id: 'uninstall-1', action: 'remove' });
    expect((await running.app.storage.read<any>(`convref:${learnerKey('msteams', 'aad-bea')}`))?.value.active).toBe(false);
  });

  it('answers a channel message that @mentions the bot, with the mention stripped, and keeps progress personal', async () => {
    const channelMessage = teamsActivity({
      text: '<at>govai-coach</at> help',
      from: { id: '29:cai', name: 'Cai', aadObjectId: 'aad-cai' },
      conversation: { id: '19:general@thread.tacv2;messageid=1700000000000', conversationType: 'channel', isGroup: true, tenantId: 't1' },
      entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }],
      channelData: {
        teamsChannelId: '19:general@thread.tacv2',
        teamsTeamId: '19:team@thread.tacv2',
        channel: { id: '19:general@thread.tacv2' },
        team: { id: '19:team@thread.tacv2' },
        tenant: { id: 't1' },
      },
    });
    const [reply] = await exchange(running.url, channelMessage);
    expect(cardOf(reply).body[0].text).toBe('What I can do'); // "help" was understood, so the mention was removed
    const learner = await running.app.storage.read<LearnerRecord>(learnerKey('msteams', 'aad-cai'));
    expect(learner?.value.recentActivityIds).toContain(channelMessage.id);
    // Stored for the channel itself, not the thread the message started.
    const stored = await running.app.storage.read<any>('convref:conversation:msteams:19:general@thread.tacv2');
    expect(stored?.value).toMatchObject({ scope: 'channel', active: true, reference: { conversation: { id: '19:general@thread.tacv2' } } });
  });

  it('answers a group chat @mention in the group chat scope', async () => {
    const [reply] = await exchange(
      running.url,
      teamsActivity({
        text: '<at>govai-coach</at> language',
        conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: 't1' },
        entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }],
      }),
    );
    expect(cardOf(reply).body[0].text).toBe('Language');
  });

  it('runs an Action.Submit value (older clients) as the button it came from', async () => {
    const [reply] = await exchange(running.url, teamsActivity({ value: { command: 'language', args: {} }, from: { id: '29:dan', aadObjectId: 'aad-dan' } }));
    const card = cardOf(reply);
    expect(cardActions(card).map((a) => a.data.args.lang)).toEqual(['en', 'es', 'fr', 'pt', 'ar']);
  });

  it('answers an Action.Execute invoke with the updated card, and a replay with "already recorded" instead of answering twice', async () => {
    const user = { id: '29:eve', name: 'Eve', aadObjectId: 'aad-eve' };
    const invoke = execute({ command: 'language', args: { lang: 'es' } }, { from: user, serviceUrl: connector.serviceUrl });
    const first = await postJson(`${running.url}/api/messages`, invoke);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ statusCode: 200, type: CARD });
    expect(cardOf({ attachments: [{ contentType: CARD, content: first.body.value }] }).lang).toBe('es');
    const learner = (await running.app.storage.read<LearnerRecord>(learnerKey('msteams', 'aad-eve')))!.value;
    expect(learner.language).toBe('es');

    const replay = await postJson(`${running.url}/api/messages`, invoke);
    expect(replay.status).toBe(200);
    const card = replay.body.value;
    expect(validate(card)).toBe(true);
    expect(card.body[0].text).toBe(running.app.localizer.forLanguage('es')('teams:invoke.duplicateTitle'));
    expect((await running.app.storage.read<LearnerRecord>(learnerKey('msteams', 'aad-eve')))!.value.updatedAt).toBe(learner.updatedAt);
  });

  it('answers an invoke it cannot map with a card, not an error', async () => {
    const res = await postJson(`${running.url}/api/messages`, execute({ command: 'NOT A COMMAND' }, { serviceUrl: connector.serviceUrl }));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(CARD);
    expect(res.body.value.body[0].text).toBe('This button no longer works');
  });

  it("sets a daily reminder in the Teams user's time zone and later delivers the nudge to their personal chat", async () => {
    const from = { id: '29:ivy', name: 'Ivy', aadObjectId: 'aad-ivy' };
    const conversation = { id: 'a:personal-ivy', conversationType: 'personal', tenantId: 't1' };
    const [reply] = await exchange(running.url, teamsActivity({ text: 'remind me at 08:30', localTimezone: 'America/Sao_Paulo', from, conversation, serviceUrl: connector.serviceUrl }));
    expect(JSON.stringify(cardOf(reply).body)).toContain('08:30** (America/Sao_Paulo)');

    const stored = await running.app.storage.read<any>(`reminder:${learnerKey('msteams', 'aad-ivy')}`);
    const due = new Date(Date.parse(stored!.value.nextDueAt) + 1000);
    expect(due.getUTCHours()).toBe(11); // 08:30 in São Paulo (UTC-3)
    const mark = connector.calls.length;
    await running.app.reminders.tick(due);
    const nudges = connector.calls.slice(mark).filter((c) => decodeURIComponent(c.url).startsWith(`/v3/conversations/${conversation.id}/activities`));
    expect(nudges).toHaveLength(1);
    const card = cardOf(nudges[0].body);
    expect(card.body[0].text).toBe('Time for a short lesson');
    expect(cardActions(card).map((a) => a.data.command)).toEqual(['start', 'reminders.stop']);
  });

  it('renders the real course replies as valid cards in every language, right-to-left in Arabic', async () => {
    for (const lang of ['en', 'es', 'fr', 'pt', 'ar']) {
      const from = { id: `29:walk-${lang}`, name: 'Walker', aadObjectId: `aad-walk-${lang}` };
      const send = (fields: Record<string, unknown>) => exchange(running.url, teamsActivity({ ...fields, from, locale: `${lang}-XX` }));
      const replies = [];
      for (const text of ['start', 'next', 'modules', 'progress', 'review', 'help', 'reminders']) replies.push(...(await send({ text })));
      const questions = await send({ value: { command: 'quiz', args: { id: 'm1-l1' } } });
      replies.push(...questions);
      // Answer the first question with its first option (button or multi-select input).
      const question = cardOf(questions[0]);
      const choiceSet = question.body.find((e: any) => e.type === 'Input.ChoiceSet');
      const [option] = cardActions(question).filter((a) => a.data?.command === 'quiz.answer');
      replies.push(...(await send({ value: choiceSet ? { ...option.fallback.data, answer: choiceSet.choices[0].value } : option.fallback.data })));

      const intents = new Set<string>();
      for (const reply of replies) {
        const card = cardOf(reply);
        expect(card.lang).toBe(lang);
        expect(Boolean(card.rtl)).toBe(lang === 'ar');
        expect(card.fallbackText).toBe(reply.summary);
        intents.add(card.body.some((e: any) => e.type === 'Input.ChoiceSet') || cardActions(card).some((a) => a.data?.command === 'quiz.answer') ? 'question' : 'other');
      }
      expect([...intents].sort()).toEqual(['other', 'question']);
      expect(replies.length).toBeGreaterThanOrEqual(9);
    }
  });

  describe('the course through cards', () => {
    const user = (n: string) => ({ id: `29:${n}`, name: n, aadObjectId: `aad-${n}` });
    const post = (activity: Record<string, unknown>) => postJson(`${running.url}/api/messages`, activity);
    const courseSlice = async (n: string) => JSON.stringify((await running.app.storage.read<LearnerRecord>(learnerKey('msteams', `aad-${n}`)))!.value.data.course);

    it('replaces the pressed quiz card with its feedback; replaying the answer does not count it twice', async () => {
      const from = user('fay');
      const quiz = await post(execute({ command: 'quiz', args: { id: 'm1-l1' } }, { from, serviceUrl: connector.serviceUrl }));
      const question = quiz.body.value;
      expect(validate(question)).toBe(true);
      const options = cardActions(question).filter((a) => a.data.command === 'quiz.answer');
      const choiceSet = question.body.find((e: any) => e.type === 'Input.ChoiceSet');
      expect(options.length > 0 || choiceSet).toBeTruthy();
      const data = choiceSet ? { ...options[0].data, answer: choiceSet.choices[0].value } : options[0].data;

      const answer = execute(data, { from, serviceUrl: connector.serviceUrl });
      const feedback = await post(answer);
      expect(validate(feedback.body.value)).toBe(true);
      expect(feedback.body.value.body[0].text).toMatch(/^(Correct|Not quite|Incorrect)/);
      // The feedback card offers no way to answer the same question again.
      expect(cardActions(feedback.body.value).some((a) => a.data?.command === 'quiz.answer')).toBe(false);
      const afterAnswer = await courseSlice('fay');

      const replay = await post(answer);
      expect(replay.body.value.body[0].text).toBe('Already recorded');
      expect(await courseSlice('fay')).toBe(afterAnswer);

      // Teams may also retry with a new activity id: the course refuses a second answer.
      const retried = await post({ ...answer, id: `${answer.id}-retry` });
      expect(validate(retried.body.value)).toBe(true);
      expect(await courseSlice('fay')).toBe(afterAnswer);
    });

    it('updates the answered question card in place after an Action.Submit answer', async () => {
      const from = user('gus');
      const conversation = { id: 'a:personal-gus', conversationType: 'personal', tenantId: 't1' };
      const base = { from, conversation, serviceUrl: connector.serviceUrl, deliveryMode: undefined };
      const before = connector.calls.length;
      await post(teamsActivity({ ...base, value: { command: 'quiz', args: { id: 'm1-l1' } } }));
      const sent = connector.calls.slice(before).filter((c) => c.method === 'POST');
      expect(sent).toHaveLength(1);
      const question = cardOf(sent[0].body);
      const options = cardActions(question).filter((a) => a.data?.command === 'quiz.answer');
      const choiceSet = question.body.find((e: any) => e.type === 'Input.ChoiceSet');
      const value = choiceSet ? { ...options[0].fallback.data, answer: choiceSet.choices[0].value } : options[0].fallback.data;

      const mark = connector.calls.length;
      await post(teamsActivity({ ...base, value }));
      const calls = connector.calls.slice(mark);
      expect(calls).toHaveLength(1);
      expect(calls[0].method).toBe('PUT');
      expect(decodeURIComponent(calls[0].url)).toBe(`/v3/conversations/${conversation.id}/activities/sent-${before + 1}`);
      expect(cardOf(calls[0].body).body[0].text).toMatch(/^(Correct|Not quite|Incorrect)/);
    });

    it('sends the further replies of a card action as messages after the updated card', async () => {
      running.app.coach.registry.add({
        name: 'test.two-replies',
        handler: (turn) => [turn.reply({ intent: 'notice', title: 'First' }), turn.reply({ intent: 'notice', title: 'Second' })],
      });
      const mark = connector.calls.length;
      const res = await post(execute({ command: 'test.two-replies' }, { from: user('hal'), serviceUrl: connector.serviceUrl }));
      expect(res.body.value.body[0].text).toBe('First');
      const calls = connector.calls.slice(mark);
      expect(calls).toHaveLength(1);
      expect(cardOf(calls[0].body).body[0].text).toBe('Second');
    });
  });
});
