import type { Language } from '../../src/config/config-schema';
import { correctAnswer } from './harness';
import { exchange, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { cardActions, startFakeConnector, type RecordedCall } from '../teams/card-support';

const CARD = 'application/vnd.microsoft.card.adaptive';
const LANGS: Language[] = ['en', 'ar'];
/** Learners per language: one fresh learner per route and scenario, so no route sees another's state. */
const LEARNERS = 200;
const TURNS_PER_MINUTE = 3;
const BOT = { id: '28:bot', name: 'govai-coach' };

/**
 * Replies that may offer no button, and why. Nothing else may: a card without a way on is what
 * issue 12 calls a dead end.
 */
const TERMINAL: Record<string, string> = {
  // The note a channel gets instead of a learner's progress, quiz or certificate: its way on is the card it points to, in the private chat.
  personalPointer: 'common:personal.sentPrivately',
  // A note to whoever pressed a button about that card (here an expert-question card whose question is gone): the pressed card, still on screen, is the way on.
  pressedCardNote: 'cohorts:expert.unknownQuestion',
};

interface Sent {
  activities: any[];
  /** What the bot sent to one-to-one chats it opened meanwhile (personal replies asked for in a channel). */
  delivered: any[];
}

const cardOf = (activity: any) => activity.attachments?.find((a: any) => a.contentType === CARD)?.content;
const buttons = (activity: any): any[] => {
  const card = cardOf(activity);
  return card ? cardActions(card) : [];
};
const describeTurn = (activities: any[]) => JSON.stringify(activities.map((a) => cardOf(a)?.body ?? a.text)).slice(0, 400);

describe('no reply ends nowhere: every registered route over /api/messages, in English and Arabic', () => {
  let running: RunningApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    // Every walking learner is an administrator and a facilitator, so their routes answer with their real cards.
    const ids = LANGS.flatMap((lang) => Array.from({ length: LEARNERS }, (_, i) => `aad-${lang}-${i}`));
    running = await startTestApp({
      REMINDER_TICK_SECONDS: '0',
      COHORT_TICK_SECONDS: '0',
      LOCAL_SERVICE_URLS: connector.serviceUrl,
      ADMINS: ids.map((id) => `msteams:${id}`).join(','),
      FACILITATORS: ids.join(','),
      // A walk takes far more turns a minute than a person does; the rate-limited reply has its own suite below.
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
      RATE_LIMIT_TENANT_TURNS_PER_MINUTE: '0',
    });
  });
  afterAll(async () => {
    await running.stop();
    await connector.close();
  });

  const t = (lang: Language) => running.app.localizer.forLanguage(lang);
  const words = (lang: Language, key: string) => t(lang)(key, { returnObjects: true }) as unknown as string[];
  const next: Record<string, number> = {};

  /** A new Teams learner who can write in their personal chat or @mention the bot in a team channel. */
  function newLearner(lang: Language) {
    const n = (next[lang] = (next[lang] ?? -1) + 1);
    if (n >= LEARNERS) throw new Error('raise LEARNERS');
    const id = `${lang}-${n}`;
    const from = { id: `29:${id}`, name: 'Lea', aadObjectId: `aad-${id}` };
    const send = async (fields: Record<string, unknown>, inChannel = false): Promise<Sent> => {
      const mark = connector.calls.length;
      const where = inChannel
        ? {
            conversation: { id: `19:general-${lang}@thread.tacv2;messageid=1`, conversationType: 'channel', isGroup: true, tenantId: 't1' },
            channelData: { teamsChannelId: `19:general-${lang}@thread.tacv2`, team: { id: '19:team@thread.tacv2' }, tenant: { id: 't1' } },
            serviceUrl: connector.serviceUrl,
            ...(typeof fields.text === 'string' ? { text: `<at>govai-coach</at> ${fields.text}`, entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }] } : {}),
          }
        : { conversation: { id: `a:personal-${id}`, conversationType: 'personal', tenantId: 't1' } };
      const activities = await exchange(running.url, teamsActivity({ from, locale: lang, ...fields, ...where }));
      const delivered = connector.calls
        .slice(mark)
        .filter((c: RecordedCall) => c.method === 'POST' && /\/activities/.test(c.url))
        .map((c) => c.body);
      return { activities, delivered };
    };
    return {
      key: `learner:msteams:aad-${id}`,
      press: (command: string, args: Record<string, string> = {}, inChannel = false) => send({ value: { command, args } }, inChannel),
      say: (text: string, inChannel = false) => send({ text }, inChannel),
      installed: () => send({ type: 'installationUpdate', action: 'add' }),
    };
  }

  /** The turn offers a way on: some card of it has a button, or it is one of the documented terminal replies. */
  function expectWayOn(lang: Language, what: string, sent: Sent) {
    expectDescriptiveButtons(lang, what, sent);
    const terminal = Object.values(TERMINAL).map((key) => t(lang)(key));
    for (const group of [sent.activities, sent.delivered]) {
      if (!group.length) continue;
      const documented = group.every((a) => terminal.some((text) => JSON.stringify(cardOf(a) ?? a.text).includes(JSON.stringify(text).slice(1, -1))));
      if (documented) continue;
      if (!group.some((a) => buttons(a).length)) throw new Error(`${lang} ${what}: nowhere to go from ${describeTurn(group)}`);
    }
  }

  /** Buttons say what they do (unique in their card, not their item's title again, no "Open Open Badge"), and the card can be read aloud. */
  function expectDescriptiveButtons(lang: Language, what: string, sent: Sent) {
    for (const activity of [...sent.activities, ...sent.delivered]) {
      const card = cardOf(activity);
      if (!card) continue;
      const titles = buttons(activity).map((b) => b.title as string);
      // An item (a module of the map, a cited lesson) whose button only repeats the item's own title.
      const repeated: string[] = [];
      const walk = (node: any): void => {
        if (Array.isArray(node)) {
          node.forEach(walk);
          return;
        }
        if (!node || typeof node !== 'object') return;
        if (node.type === 'Container' && Array.isArray(node.items)) {
          const texts = JSON.stringify(node.items.filter((i: any) => i.type !== 'ActionSet'));
          for (const set of node.items.filter((i: any) => i.type === 'ActionSet')) for (const a of set.actions) if (texts.includes(JSON.stringify(a.title))) repeated.push(a.title);
        }
        for (const value of Object.values(node)) walk(value);
      };
      walk(card.body);
      const problems = [
        ...titles.filter((title, i) => titles.indexOf(title) !== i).map((title) => `twice: ${title}`),
        ...repeated.map((title) => `repeats its item's title: ${title}`),
        // What a screen reader reads first, and Teams' notification: every card says what it is.
        ...(typeof card.speak === 'string' && card.speak.trim() ? [] : ['no speak text']),
        ...titles.filter((title) => /\b(\w+) \1\b/u.test(title)).map((title) => `word doubled: ${title}`),
      ];
      if (problems.length) throw new Error(`${lang} ${what}: ${problems.join('; ')}`);
    }
  }

  test.each(LANGS)('every route, pressed as a button and typed as its command, in a personal chat and in a channel, offers a next step (%s)', async (lang) => {
    const firstLesson = running.app.catalog.get(lang).modules[0].lessons[0].id;
    const routes = running.app.coach.registry.all();
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const l = newLearner(lang);
      // A learner in the middle of a lesson: the common case, and state for routes that need a place.
      await l.press('lesson.open', { lesson: firstLesson });
      expectWayOn(lang, `${route.name} pressed`, await l.press(route.name));
      expectWayOn(lang, `${route.name} pressed in a channel`, await l.press(route.name, {}, true));
      if (!route.aliasesKey) continue;
      const word = words(lang, route.aliasesKey)[0];
      expectWayOn(lang, `“${word}” typed`, await l.say(word));
      expectWayOn(lang, `“${word}” typed in a channel`, await l.say(word, true));
    }
  });

  test.each(LANGS)('a learner who never types reaches every learner command from the welcome card by buttons alone (%s)', async (lang) => {
    const l = newLearner(lang);
    const offered = new Map<string, { command: string; args: Record<string, string> }>();
    const collect = (sent: Sent) => {
      for (const { data } of sent.activities.flatMap(buttons)) if (data?.command) offered.set(JSON.stringify([data.command, data.args ?? {}]), { command: data.command, args: data.args ?? {} });
    };
    collect(await l.installed());
    // Press what the cards offer, the first two variants of each command (a time for the reminder, a lesson to open), until nothing new appears.
    const pressed = new Set<string>();
    const presses: Record<string, number> = {};
    for (let round = 0; round < 80; round++) {
      const [key, button] = [...offered].find(([k, b]) => !pressed.has(k) && (presses[b.command] ?? 0) < 2 && !b.command.startsWith('mydata.delete')) ?? [];
      if (!key || !button) break;
      pressed.add(key);
      presses[button.command] = (presses[button.command] ?? 0) + 1;
      collect(await l.press(button.command, button.args));
    }
    const seen = new Set([...offered.values()].map((b) => b.command));
    // Not listed: commands that take the learner's own words (ask, define, ask an expert), which help lists; the hint,
    // offered on each question that has one (test/course/learner-journey-ux.test.ts); the certificate, offered once earned (the course walk below).
    const learnerCommands = [
      'start',
      'modules',
      'module.open',
      'lesson.open',
      'next',
      'back',
      'repeat',
      'explain',
      'progress',
      'review',
      'quiz',
      'reminders',
      'reminders.stop',
      'language',
      'mydata',
      'mydata.export',
      'mydata.delete',
      'help',
    ];
    expect(learnerCommands.filter((c) => !seen.has(c))).toEqual([]);
  });

  test.each(LANGS)('the replies outside the routes: unknown words, a question, a term to define, a message too long (%s)', async (lang) => {
    const l = newLearner(lang);
    expectWayOn(lang, 'unknown command', await l.say('/frobnicate'));
    expectWayOn(lang, 'course question', await l.say(lang === 'ar' ? 'ما هو التحيز للأتمتة؟' : 'What is automation bias?'));
    expectWayOn(lang, 'define', await l.say(`${words(lang, 'qa:commands.define')[0]} ${lang === 'ar' ? 'تحيز الأتمتة' : 'automation bias'}`));
    expectWayOn(lang, 'too long', await l.say('a'.repeat(running.app.config.MAX_MESSAGE_CHARS + 1)));
  });

  test.each(LANGS)('a facilitator’s cohort cards: the new cohort in its channel, its settings, its report, an expert question (%s)', async (lang) => {
    const fay = newLearner(lang);
    const cmd = (key: string) => words(lang, `cohorts:commands.${key}`)[0];
    expectWayOn(lang, 'cohort new', await fay.say(`${cmd('new')} Pilot ${lang}`, true));
    for (const key of ['cohort', 'report', 'questions']) expectWayOn(lang, cmd(key), await fay.say(cmd(key)));
    expectWayOn(lang, 'ask an expert', await newLearner(lang).say(`${cmd('askExpert')} ${lang === 'ar' ? 'من يراجع قرارات الخوارزمية؟' : 'Who reviews algorithmic decisions?'}`));
  });

  test.each(LANGS)(
    'the whole course by its buttons, to the final assessment, the certificate and its revocation: every card leads on (%s)',
    async (lang) => {
      const l = newLearner(lang);
      const catalog = running.app.catalog;
      let sent = await l.press('start');
      let finalDone = false;
      for (let turns = 0; turns < 4000 && !finalDone; turns++) {
        expectWayOn(lang, `course turn ${turns}`, sent);
        const last = sent.activities.at(-1);
        const all = buttons(last);
        const question = all.find((b) => b.data?.command === 'quiz.answer')?.data.args.question;
        if (question) {
          sent = await l.press('quiz.answer', { question, answer: correctAnswer(catalog, question, lang) });
          continue;
        }
        finalDone = JSON.stringify(last).includes(JSON.stringify(t(lang)('course:summary.title.final')).slice(1, -1));
        if (finalDone) break;
        const data = (b: any) => b.data as { command: string; args?: Record<string, string> };
        const forward = all.find((b) => data(b)?.command === 'quiz' && data(b).args?.id === 'final') ?? all.find((b) => b.style === 'positive') ?? all.find((b) => data(b)?.command === 'next');
        if (!forward) throw new Error(`${lang}: no way forward from ${describeTurn(sent.activities)}`);
        sent = await l.press(data(forward).command, data(forward).args ?? {});
      }
      expect(finalDone).toBe(true);

      const certificate = await l.press('certificate');
      expectWayOn(lang, 'certificate', certificate);
      const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(JSON.stringify(certificate.activities))?.[0];
      expect(id).toBeDefined();
      const revoked = await l.say(`${words(lang, 'course:commands.certificateRevoke')[0]} ${id}`);
      expect(JSON.stringify(revoked.activities)).toContain(id);
      expectWayOn(lang, 'certificate revoked', revoked);
    },
    120_000,
  );
});

describe('the rate-limited reply leads on once the wait is over (/api/messages)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ REMINDER_TICK_SECONDS: '0', COHORT_TICK_SECONDS: '0', RATE_LIMIT_TURNS_PER_MINUTE: String(TURNS_PER_MINUTE) });
  });
  afterAll(() => running.stop());

  test.each(LANGS)('%s', async (lang) => {
    const t = running.app.localizer.forLanguage(lang);
    const from = { id: `29:flood-${lang}`, name: 'Lea', aadObjectId: `aad-flood-${lang}` };
    const conversation = { id: `a:personal-flood-${lang}`, conversationType: 'personal', tenantId: 't1' };
    const replies: any[][] = [];
    for (let i = 0; i <= TURNS_PER_MINUTE; i++)
      replies.push(await exchange(running.url, teamsActivity({ from, conversation, locale: lang, text: (t('common:commands.help', { returnObjects: true }) as unknown as string[])[0] })));
    const refused = replies.at(-1)!;
    const waitText = t('common:limits.turns', { count: 60 }).slice(0, 20);
    expect(JSON.stringify(refused)).toContain(JSON.stringify(waitText).slice(1, -1));
    expect(buttons(refused[0]).map((b) => b.data?.command)).toEqual(['start', 'help']);
  });
});
