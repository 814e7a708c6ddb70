import type { Language } from '../../src/config/config-schema';
import { exchange, postJson, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { adaptiveCardValidator, cardActions, startFakeConnector } from '../teams/card-support';

const validate = adaptiveCardValidator();
const CARD = 'application/vnd.microsoft.card.adaptive';
const LANGS: Language[] = ['en', 'es', 'fr', 'pt', 'ar'];

interface Card {
  body: any[];
  actions?: any[];
  [key: string]: any;
}

function cardsOf(activities: any[]): Card[] {
  return activities.map((activity) => {
    const attachment = activity.attachments?.find((a: any) => a.contentType === CARD);
    if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
    if (!validate(attachment.content)) throw new Error(`invalid card: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    return attachment.content as Card;
  });
}

/** Every TextBlock text of a card, in order, without the bidi isolation marks of right-to-left cards (test/render/rtl-reading-order tests those). */
function texts(card: Card): string[] {
  const out: string[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text.replace(/[\u2066-\u2069]/g, ''));
    for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
  };
  walk(card.body);
  return out;
}

const commandsOf = (card: Card) => cardActions(card).map((a) => a.data?.command);
const buttonFor = (card: Card, command: string) => cardActions(card).find((a) => a.data?.command === command)?.data as { command: string; args: Record<string, string> } | undefined;

/** One Teams learner in a personal chat, pressing buttons (Action.Submit values) or typing. */
function learner(running: RunningApp, id: string, lang: Language) {
  const from = { id: `29:${id}`, name: 'Lea', aadObjectId: `aad-${id}` };
  const conversation = { id: `a:personal-${id}`, conversationType: 'personal', tenantId: 't1' };
  const send = async (fields: Record<string, unknown>) => cardsOf(await exchange(running.url, teamsActivity({ from, conversation, locale: `${lang}-XX`, ...fields })));
  return {
    send,
    say: (text: string) => send({ text }),
    press: (data: { command: string; args?: Record<string, string> }, fields: Record<string, unknown> = {}) => send({ value: { command: data.command, args: data.args ?? {} }, ...fields }),
  };
}

describe('the learner journey over /api/messages', () => {
  let running: RunningApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    running = await startTestApp({ REMINDER_TICK_SECONDS: '0', COHORT_TICK_SECONDS: '0', LOCAL_SERVICE_URLS: connector.serviceUrl });
  });
  afterAll(async () => {
    await running.stop();
    await connector.close();
  });

  const t = (lang: Language) => running.app.localizer.forLanguage(lang);
  const words = (lang: Language, key: string) => t(lang)(key, { returnObjects: true }) as unknown as string[];

  /** The way out of "Review complete" each language tries, so every exit is covered. */
  const exits: Record<Language, (l: ReturnType<typeof learner>, summary: Card) => Promise<Card[]>> = {
    en: (l, summary) => l.press(buttonFor(summary, 'next')!),
    es: (l) => l.say(words('es', 'course:commands.next')[0]),
    fr: (l) => l.press({ command: 'start' }),
    pt: (l) => l.say(words('pt', 'course:commands.start')[0]),
    ar: (l) => l.say(words('ar', 'course:commands.start').find((w) => w !== words('ar', 'course:commands.start')[0]) ?? words('ar', 'course:commands.start')[0]),
  };

  test.each(LANGS)('lesson quiz → review → Continue lands on the next lesson, never on "Review complete" again (%s)', async (lang) => {
    const l = learner(running, `loop-${lang}`, lang);
    const catalog = running.app.catalog.get(lang);
    const [module] = catalog.modules;
    const [lesson1, lesson2] = module.lessons;
    let [card] = await l.press({ command: 'lesson.open', args: { lesson: lesson1.id } });
    // Walk the lesson, answer every quiz question with its first option (some are wrong), until the score.
    const lessonDone = t(lang)('course:summary.title.lesson');
    for (let guard = 0; texts(card)[0] !== lessonDone; guard++) {
      if (guard > 30) throw new Error(`lesson never ended: ${texts(card).join(' | ')}`);
      const answer = buttonFor(card, 'quiz.answer');
      const replies = answer ? await l.press({ command: 'quiz.answer', args: { ...answer.args, answer: answer.args.answer ?? 'a' } }) : await l.press(buttonFor(card, 'next')!);
      card = replies.at(-1)!;
    }

    let review = await l.say(words(lang, 'course:commands.review')[0]);
    const reviewDone = t(lang)('course:summary.title.review');
    card = review.at(-1)!;
    for (let guard = 0; texts(card)[0] !== reviewDone; guard++) {
      if (guard > 30) throw new Error(`review never ended: ${texts(card).join(' | ')}`);
      const answer = buttonFor(card, 'quiz.answer');
      review = answer ? await l.press({ command: 'quiz.answer', args: { ...answer.args, answer: answer.args.answer ?? 'a' } }) : await l.press(buttonFor(card, 'next')!);
      card = review.at(-1)!;
    }

    const [after] = await exits[lang](l, card);
    expect(texts(after)[0]).not.toBe(reviewDone);
    const position = t(lang)('course:position.step', { module: module.order, lesson: lesson2.order, lessons: module.lessons.length, step: 1, steps: lesson2.steps.length });
    expect(texts(after)).toContain(position);
    // And the next press moves on inside that lesson.
    const [step2] = await l.press(buttonFor(after, 'next')!);
    expect(texts(step2)).toContain(t(lang)('course:position.step', { module: module.order, lesson: lesson2.order, lessons: module.lessons.length, step: 2, steps: lesson2.steps.length }));
    expect(commandsOf(step2)).toContain('back');
  });

  test('a second press of the same Next (a new activity id) shows the current step instead of skipping one; typed next still advances', async () => {
    const lang: Language = 'en';
    const l = learner(running, 'double-click', lang);
    const [module] = running.app.catalog.get(lang).modules;
    const lesson = module.lessons[0];
    const at = (step: number) => t(lang)('course:position.step', { module: module.order, lesson: lesson.order, lessons: module.lessons.length, step, steps: lesson.steps.length });
    const [first] = await l.press({ command: 'lesson.open', args: { lesson: lesson.id } });
    expect(texts(first)).toContain(at(1));
    const next = buttonFor(first, 'next')!;
    const [pressed] = await l.press(next, { id: 'double-click-1' });
    const [again] = await l.press(next, { id: 'double-click-2' });
    expect(texts(pressed)).toContain(at(2));
    expect(texts(again)).toContain(at(2));
    const backOnOldCard = buttonFor(first, 'back')!;
    expect(texts((await l.press(backOnOldCard, { id: 'double-click-3' }))[0])).toContain(at(2));
    const [typed] = await l.say('next');
    expect(texts(typed)).toContain(at(3));
  });

  test('progress shows where the learner is, lessons begun, answers so far and the one next thing to do', async () => {
    const lang: Language = 'en';
    const tr = t(lang);
    const primary = (card: Card) => cardActions(card).find((a) => a.style === 'positive');
    const [fresh] = await learner(running, 'progress-new', lang).say('progress');
    expect(primary(fresh)?.title).toBe(tr('course:actions.startCourse'));
    expect(texts(fresh)).toContain(tr('course:progress.notStarted'));

    const l = learner(running, 'progress-busy', lang);
    const [module] = running.app.catalog.get(lang).modules;
    const [lesson1, lesson2] = module.lessons;
    let [card] = await l.press({ command: 'lesson.open', args: { lesson: lesson1.id } });
    for (let i = 1; i < lesson1.steps.length; i++) [card] = await l.press(buttonFor(card, 'next')!);
    const [question] = await l.press(buttonFor(card, 'next')!);
    const answer = buttonFor(question, 'quiz.answer')!;
    await l.press({ command: 'quiz.answer', args: { answer: 'a', ...answer.args } });
    await l.press({ command: 'lesson.open', args: { lesson: lesson2.id } });
    const [busy] = await l.say('progress');

    const busyText = texts(busy).join('\n');
    expect(busyText).not.toBe(texts(fresh).join('\n'));
    expect(busyText).toContain(lesson2.title);
    expect(busyText).toContain(tr('course:position.step', { module: 1, lesson: 2, lessons: module.lessons.length, step: 1, steps: lesson2.steps.length }));
    const facts = Object.fromEntries(
      busy.body
        .filter((b) => b.type === 'FactSet')
        .flatMap((f) => f.facts)
        .map((f: any) => [f.title, f.value]),
    );
    expect(facts[tr('course:progress.answers')]).toMatch(/^1 /);
    expect(facts[tr('course:progress.inProgress')]).toContain(lesson1.title);
    expect(facts[tr('course:progress.inProgress')]).toContain(tr('course:progress.quizStarted', { count: 1, questions: lesson1.quiz.length }));
    expect(primary(busy)?.title).toBe(tr('course:actions.resume'));
  });

  test('at 100% the progress card leads with Get my certificate', async () => {
    const lang: Language = 'fr';
    const l = learner(running, 'progress-done', lang);
    await l.say('progress');
    const key = 'learner:msteams:aad-progress-done';
    const stored = (await running.app.storage.read<any>(key))!;
    const course = running.app.catalog.get(lang);
    const at = new Date().toISOString();
    const slice = stored.value.data.course;
    for (const module of course.modules) {
      slice.modulesDone[module.id] = at;
      slice.quizScores[module.id] = { score: 1, passed: true, at };
      for (const lesson of module.lessons) slice.lessonsDone[lesson.id] = at;
    }
    slice.quizScores.final = { score: 1, passed: true, at };
    slice.finalPassedAt = at;
    await running.app.storage.write(key, stored.value, { ifMatch: stored.etag });
    const [done] = await l.say('progress');
    const first = cardActions(done)[0];
    expect(first).toMatchObject({ title: t(lang)('course:actions.certificate'), style: 'positive' });
    expect(cardActions(done).map((a) => a.title)).not.toContain(t(lang)('course:actions.resume'));
  });

  /** Opens lesson 1's quiz and answers its first question, so the multiple-choice question (with a hint) is next. */
  async function atMultipleChoice(l: ReturnType<typeof learner>, lang: Language) {
    const lesson = running.app.catalog.get(lang).modules[0].lessons[0];
    const [q1] = await l.press({ command: 'quiz', args: { id: lesson.id } });
    const answer = buttonFor(q1, 'quiz.answer')!;
    const [feedback] = await l.press(answer);
    const [q2] = await l.press(buttonFor(feedback, 'next')!);
    const question = lesson.quiz[1];
    expect(question.type).toBe('multiple');
    return { q2, question };
  }

  test.each(LANGS)('typing the hint word is a command for the open question, not a course question (%s)', async (lang) => {
    const l = learner(running, `hint-typed-${lang}`, lang);
    const { question } = await atMultipleChoice(l, lang);
    for (const word of words(lang, 'course:commands.hint').slice(0, 2)) {
      const [hinted] = await l.say(word);
      expect(texts(hinted).join('\n')).toContain(question.hint!);
      expect(texts(hinted)[0]).not.toBe(t(lang)('qa:answer.title'));
    }
  });

  test('the hint of a multiple-choice question works with nothing ticked, and keeps the ticks it was pressed with', async () => {
    const l = learner(running, 'hint-ticks', 'en');
    const { q2, question } = await atMultipleChoice(l, 'en');
    const input = q2.body.find((e) => e.type === 'Input.ChoiceSet');
    expect(input.isRequired).toBeUndefined(); // a required input blocks every button of the card, the hint too
    const hintButton = buttonFor(q2, 'quiz.hint')!;
    const [bare] = await l.press(hintButton);
    expect(texts(bare).join('\n')).toContain(question.hint!);
    // Pressed with boxes ticked, the card comes back with the same boxes ticked.
    const ticked = question.options
      .slice(0, 2)
      .map((o) => o.id)
      .join(',');
    const [kept] = await l.send({ value: { command: 'quiz.hint', args: hintButton.args, answer: ticked } });
    expect(kept.body.find((e) => e.type === 'Input.ChoiceSet').value).toBe(ticked);
    expect(texts(kept).join('\n')).toContain(question.hint!);
  });

  test('Explain more in Teams keeps the lesson card and sends a card that leads back to the step or on to the next', async () => {
    const from = { id: '29:explainer', name: 'Ex', aadObjectId: 'aad-explainer' };
    const conversation = { id: 'a:personal-explainer', conversationType: 'personal', tenantId: 't1' };
    const l = learner(running, 'explainer', 'en');
    const [step] = await l.press({ command: 'lesson.open', args: { lesson: running.app.catalog.get('en').modules[0].lessons[0].id } });
    const explain = buttonFor(step, 'explain')!;
    const mark = connector.calls.length;
    const invoke = teamsActivity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      from,
      conversation,
      serviceUrl: connector.serviceUrl,
      replyToId: 'lesson-card-1',
      deliveryMode: undefined,
      value: { action: { type: 'Action.Execute', verb: 'explain', data: explain }, trigger: 'manual' },
    });
    const res = await postJson(`${running.url}/api/messages`, invoke);
    expect(res.status).toBe(200);
    // Not a card: Teams leaves the pressed lesson card (and its Next button) as it was.
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    const sent = connector.calls.slice(mark).filter((c) => c.method === 'POST' && /\/activities/.test(c.url));
    expect(sent).toHaveLength(1);
    const [card] = cardsOf([sent[0].body]);
    expect(commandsOf(card)).toEqual(expect.arrayContaining(['next', 'repeat']));
    // Its Next carries the step it explained: pressed twice, it moves the learner once.
    const next = buttonFor(card, 'next')!;
    expect(next.args.at).toBe(buttonFor(step, 'next')!.args.at);
    const [moved] = await l.press(next, { id: 'explain-next-1' });
    const [same] = await l.press(next, { id: 'explain-next-2' });
    expect(texts(same)).toEqual(texts(moved));
  });

  /** `@govai-coach <text>` in a team channel, answered through the fake connector. */
  const channelMessage = (from: Record<string, string>, text: string) =>
    teamsActivity({
      text: `<at>govai-coach</at> ${text}`,
      from,
      serviceUrl: connector.serviceUrl,
      conversation: { id: '19:general@thread.tacv2;messageid=1700000000001', conversationType: 'channel', isGroup: true, tenantId: 'tenant-7' },
      entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: { id: '28:bot', name: 'govai-coach' } }],
      channelData: { teamsChannelId: '19:general@thread.tacv2', team: { id: '19:team@thread.tacv2' }, tenant: { id: 'tenant-7' } },
    });

  test('@bot progress in a Teams channel puts no progress into the channel: it goes to the personal chat, the channel gets a pointer', async () => {
    const from = { id: '29:private-pat', name: 'Pat', aadObjectId: 'aad-private-pat' };
    const tr = t('en');
    const mark = connector.calls.length;
    const inChannel = await exchange(running.url, channelMessage(from, 'progress'));
    const channelText = JSON.stringify(inChannel);
    expect(channelText).not.toContain(tr('course:progress.title'));
    expect(channelText).not.toContain(tr('course:progress.lessons'));
    expect(cardsOf(inChannel).flatMap(texts)).toEqual([tr('common:personal.sentPrivately')]);

    const calls = connector.calls.slice(mark);
    const created = calls.find((c) => c.method === 'POST' && /\/v3\/conversations\/?$/.test(c.url));
    expect(created?.body).toMatchObject({ isGroup: false, tenantId: 'tenant-7', members: [{ id: '29:private-pat' }], channelData: { tenant: { id: 'tenant-7' } } });
    const delivered = calls.filter((c) => c.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(c.url));
    expect(delivered).toHaveLength(1);
    expect(decodeURIComponent(delivered[0].url)).not.toContain('19:general');
    expect(cardsOf([delivered[0].body]).flatMap(texts)[0]).toBe(tr('course:progress.title'));
  });

  test('in a channel, quizzes, reviews, certificates and reminders go to the personal chat too; discussions and course questions answer in the channel', async () => {
    const from = { id: '29:private-kim', name: 'Kim', aadObjectId: 'aad-private-kim' };
    const tr = t('en');
    const inChannel = async (text: string) => {
      const mark = connector.calls.length;
      const replies = await exchange(running.url, channelMessage(from, text));
      const delivered = connector.calls.slice(mark).filter((c) => c.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(c.url));
      return { channel: cardsOf(replies).map(texts), personal: cardsOf(delivered.map((c) => c.body)).map(texts), urls: delivered.map((c) => decodeURIComponent(c.url)) };
    };
    const pointer = [[tr('common:personal.sentPrivately')]];
    const firstLesson = running.app.catalog.get('en').modules[0].lessons[0];
    // Kim has begun the first lesson in the personal chat, so `quiz` opens its quiz.
    await learner(running, 'private-kim', 'en').press({ command: 'lesson.open', args: { lesson: firstLesson.id } });
    for (const [text, shows] of [
      [`quiz`, firstLesson.quiz[0].prompt],
      ['review', tr('course:review.empty')],
      ['certificate', tr('course:certificate.notYetModules', { count: running.app.catalog.get('en').modules.length })],
      ['remind me at 08:30', tr('reminders:set.title')],
    ] as const) {
      const { channel, personal, urls } = await inChannel(text);
      expect([text, channel]).toEqual([text, pointer]);
      expect([text, urls.every((u) => !u.includes('19:general'))]).toEqual([text, true]);
      expect([text, personal.flat().join('\n')]).toEqual([text, expect.stringContaining(shows)]);
    }
    for (const text of ['discuss 1', 'What is automation bias?']) {
      const { channel, personal } = await inChannel(text);
      expect([text, channel.flat().includes(tr('common:personal.sentPrivately')), channel.length > 0, personal]).toEqual([text, false, true, []]);
    }
  });

  test('cards that used to end nowhere offer a next step; the discussion card states its poll question', async () => {
    const l = learner(running, 'next-steps', 'en');
    const tr = t('en');
    const [set] = await l.say('remind me at 08:30');
    expect(commandsOf(set)).toEqual(expect.arrayContaining(['start', 'reminders.stop']));
    const [off] = await l.say('stop reminders');
    expect(commandsOf(off)).toEqual(expect.arrayContaining(['start', 'reminders']));
    const [language] = await l.say('language fr');
    expect(commandsOf(language)).toContain('start');
    await l.press({ command: 'language', args: { lang: 'en' } });

    const [map] = await l.say('modules');
    const itemTitles = texts(map);
    for (const button of cardActions(map)) expect(itemTitles).not.toContain(button.title);

    // The prompt card, then its live confidence poll as a card of its own.
    const [discussion, poll] = await l.say('discuss 1');
    expect(texts(poll!).join('\n')).toContain(tr('facilitation:poll.question'));
    // Outcomes are a list in the text, not a two-column FactSet whose narrow labels broke mid-word.
    expect(discussion.body.some((b) => b.type === 'FactSet')).toBe(false);
    expect(texts(discussion).join('\n')).toContain(running.app.catalog.get('en').modules[0].outcomes[0].text);
  });
});
