import { exchange, localeString, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';

/** Conversations as learners type them, through /api/messages as Teams users (one booted app for the file). */
describe('Q&A conversation over /api/messages', () => {
  let running: RunningApp;
  let user = 0;
  beforeAll(async () => {
    running = await startTestApp({ FACILITATORS: '29:qa-facilitator' });
  });
  afterAll(() => running?.stop());

  /** A fresh learner per test, so one test's history never leaks into another. */
  const learner = (locale: string, id = `29:qa-conv-${++user}`) => {
    return (text: string) => exchange(running.url, teamsActivity({ text, locale, from: { id, name: 'Learner' }, conversation: { id: `a:${id}`, conversationType: 'personal', tenantId: 't' } }));
  };

  it.each([
    ['en-US', 'en', 'hi there!', 'greeting'],
    ['es-ES', 'es', 'muchas gracias, me ha servido un montón', 'thanks'],
    ['fr-FR', 'fr', 'tu es qui exactement ?', 'identity'],
    ['pt-BR', 'pt', 'como faço para começar o curso?', 'start'],
    ['ar-SA', 'ar', 'تمام، فهمت', 'ack'],
  ])('%s (%s) "%s" gets a short small-talk reply with next steps, never "not covered"', async (locale, lang, text, kind) => {
    const replies = await learner(locale)(text);
    const shown = JSON.stringify(replies);
    expect(shown).toContain(JSON.stringify(localeString(lang, 'qa', `smallTalk.${kind}`)).slice(1, 40));
    expect(shown).not.toContain(localeString(lang, 'qa', 'notCovered.title'));
    expect(shown).not.toContain(localeString(lang, 'qa', 'answer.title'));
    expect(shown).toContain(localeString(lang, 'common', 'actions.start'));
  });

  /** The Adaptive Card of the turn's first reply. */
  const card = (replies: any[]) => replies[0]?.attachments?.[0]?.content ?? {};
  const texts = (node: any): string[] => (node && typeof node === 'object' ? Object.values(node).flatMap(texts) : typeof node === 'string' ? [node] : []);
  const actionsOf = (replies: any[]) => JSON.stringify(replies).match(/"command":"[^"]+"/g) ?? [];

  it.each([
    ['en-US', 'en', 'define automation bias'],
    ['es-ES', 'es', 'definir sesgo de automatización'],
    ['fr-FR', 'fr', 'définir biais d’automatisation'],
    ['pt-BR', 'pt', 'definir viés de automação'],
    ['ar-SA', 'ar', 'عرّف تحيز الأتمتة'],
  ])('%s (%s) "%s" shows the glossary card, with the term in the other languages', async (locale, lang, text) => {
    const shown = JSON.stringify(await learner(locale)(text));
    expect(shown).toContain(localeString(lang, 'qa', 'glossary.otherLanguages'));
    for (const other of ['automation bias', 'sesgo de automatización', 'biais d’automatisation', 'viés de automação', 'تحيز الأتمتة']) expect(shown).toContain(other);
    expect(shown).toContain('lesson.open');
  });

  it('answers a question in everyday words the course does not use ("ban" for "prohibited")', async () => {
    const shown = JSON.stringify(await learner('en-US')('Which AI uses does the EU AI Act ban?'));
    expect(shown).toContain(localeString('en', 'qa', 'answer.title'));
    expect(shown).toMatch(/prohibit/i);
  });

  it('answers a question full of typos', async () => {
    const shown = JSON.stringify(await learner('en-US')('waht is automaton bias?'));
    expect(shown).toContain(localeString('en', 'qa', 'answer.title'));
    expect(shown).toMatch(/automation bias/i);
  });

  it('answers a short French question from an English-locale learner from the French course', async () => {
    const shown = JSON.stringify(await learner('en-US')('c’est quoi le biais d’automatisation ?'));
    expect(shown).toContain(localeString('fr', 'qa', 'answer.title'));
    expect(shown).toContain('biais d');
  });

  it('cites lesson and step with an Open button, leads back to the course, and stores 👍/👎 for the gaps report', async () => {
    const ask = learner('en-US');
    const replies = await ask('What is the once-only principle?');
    const shown = texts(card(replies));
    const citations = shown.filter((t) => /^\[\d\] /.test(t));
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expect(c).toMatch(/^\[\d\] Module \d › .+(, step \d+)?$/);
    expect(actionsOf(replies)).toEqual(expect.arrayContaining(['"command":"lesson.open"', '"command":"start"', '"command":"qa.feedback"']));
    expect(JSON.stringify(replies)).toContain(localeString('en', 'qa', 'feedback.question'));
    const before = (await running.app.storage.list('qa-log:')).length;
    // Typing the number of the 👎 button presses it.
    const down = await ask(String(numberOf(replies, localeString('en', 'qa', 'feedback.no'))));
    expect(JSON.stringify(down)).toContain(localeString('en', 'qa', 'feedback.thanksDown').slice(0, 30));
    const keys = await running.app.storage.list('qa-log:');
    expect(keys.length).toBe(before + 1);
    const entry = (await running.app.storage.read<any>(keys[keys.length - 1]))!.value;
    expect(entry).toMatchObject({ outcome: 'unhelpful', question: 'What is the once-only principle?', lang: 'en' });
  });

  it('keeps a declined question in the history, logs it redacted, and lists it for facilitators only', async () => {
    const id = `29:qa-conv-${++user}`;
    const ask = learner('en-US', id);
    const declined = JSON.stringify(await ask('How do I renew my passport online? Write to ana@example.org'));
    expect(declined).toContain(localeString('en', 'qa', 'notCovered.title'));
    const record = await running.app.coach.readLearner('msteams', id);
    expect((record!.data.qa as any).history.map((h: any) => h.question)).toEqual(['How do I renew my passport online? Write to [email]']);

    const refused = JSON.stringify(await ask('question gaps'));
    expect(refused).toContain(localeString('en', 'qa', 'gaps.notAllowed'));
    const report = JSON.stringify(await learner('en-US', '29:qa-facilitator')('question gaps'));
    expect(report).toContain(localeString('en', 'qa', 'gaps.title'));
    // The question is shown literally: its brackets arrive escaped for the card's Markdown.
    expect(report).toContain('renew my passport online? Write to \\\\[email\\\\]');
    expect(report).not.toContain('ana@example.org');
  });

  it('answers a Spanish "¿y…?" follow-up on the previous question\'s topic', async () => {
    const ask = learner('es-ES');
    await ask('¿Qué decidió el tribunal sobre SyRI?');
    const shown = JSON.stringify(await ask('¿y en qué año?'));
    expect(shown).toContain(localeString('es', 'qa', 'answer.title'));
    expect(shown).toContain('2020');
  });

  it.each([
    ['pt-BR', 'pt', 'Que cidades têm um registo público de IA?', 'e eles foram abertos em que ano?'],
    ['ar-SA', 'ar', 'أي المدن نشرت سجلات عامة للخوارزميات؟', 'ومتى فتحوها؟'],
  ])('%s (%s) answers a follow-up that is only a pronoun and "when…opened" from the previous question\'s topic', async (locale, lang, first, followUp) => {
    const ask = learner(locale);
    await ask(first);
    // "opened" alone matches open data and treaties opened for signature; the registers are the topic.
    const shown = JSON.stringify(await ask(followUp));
    expect(shown).toContain(localeString(lang, 'qa', 'answer.title'));
    expect(shown).toContain('2020');
  });

  it.each([
    ['en-US', 'Which cities publish registers of their algorithms?', 'and what is automation bias?', 'Automation bias'],
    ['es-ES', '¿Qué ciudades publican registros de sus algoritmos?', '¿y qué es el sesgo de automatización?', 'sesgo de automatización'],
  ])('%s: a follow-up wholly about another course term ("and what is automation bias?") is a new question, not the previous topic', async (locale, first, next, about) => {
    const ask = learner(locale);
    await ask(first);
    const shown = JSON.stringify(await ask(next));
    expect(shown.toLowerCase()).toContain(about.toLowerCase());
    expect(shown).not.toContain('Amsterdam');
  });

  it('answers the question that follows a greeting', async () => {
    const shown = JSON.stringify(await learner('en-US')('Hello, what is the once-only principle?'));
    expect(shown).toContain(localeString('en', 'qa', 'answer.title'));
    expect(shown).toMatch(/once/i);
  });
});

/** 1-based number of the button labelled `label` in a reply (the text renderer's and the coach's numbering). */
function numberOf(replies: any[], label: string): number {
  const labels = JSON.stringify(replies).match(/"title":"[^"]*"(?=,"data")|"title":"[^"]*","type":"Action.Submit"/g) ?? [];
  const at = labels.findIndex((l) => l.includes(label));
  expect(at).toBeGreaterThanOrEqual(0);
  return at + 1;
}
