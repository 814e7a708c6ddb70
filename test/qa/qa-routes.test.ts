import path from 'node:path';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { QaService } from '../../src/core/qa/answer-service';
import { registerQa } from '../../src/core/qa/qa-routes';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import type { TurnInput } from '../../src/core/turn';
import { fixtureRetriever, tempDir } from './qa-fixtures';

const LOCALES = path.resolve(__dirname, '..', '..', 'locales');

describe('Q&A routes through the coach', () => {
  let coach: Coach;
  let localizer: Localizer;
  let storage: SqliteStorage;
  const opened: string[] = [];
  let currentStep: string | undefined;
  let n = 0;
  const send = (userId: string, text: string, locale = 'en-US', action?: TurnInput['action']) =>
    coach.handle({ channelId: 'msteams', userId, conversationId: `c-${userId}`, scope: 'personal', activityId: `a${++n}`, locale, text, action });

  beforeAll(async () => {
    localizer = await createLocalizer(LOCALES);
    storage = new SqliteStorage(path.join(tempDir(), 'qa.sqlite'));
    await storage.open();
    const registry = new CommandRegistry(localizer);
    registry.add({
      name: 'lesson.open',
      handler: (turn) => {
        opened.push(turn.args.lesson);
        return [turn.reply({ intent: 'show-step', text: `lesson ${turn.args.lesson}` })];
      },
    });
    const service = new QaService({ retrieval: await fixtureRetriever(), maxQuestionChars: 120 });
    registerQa(registry, { service: () => service, currentStepId: () => currentStep });
    coach = new Coach({ storage, localizer, registry, logger: createLogger({ level: 'silent' }), defaultLanguage: 'en' });
  });
  afterAll(() => storage.close());

  it('answers a new user’s first message with a one-line welcome, citations and open-lesson buttons', async () => {
    const t = localizer.forLanguage('en');
    const { replies } = await send('u1', 'When did Estonia launch X-Road?');
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply.intent).toBe('answer');
    expect(reply.text!.startsWith(t('qa:firstWelcome'))).toBe(true);
    expect(reply.text).toContain('2001');
    // Citations say where in the course: module number, lesson title and step, never a quiz prompt.
    expect(reply.items![0].title).toBe(`[1] ${t('qa:citation.step', { module: t('qa:citation.module', { n: 1 }), lesson: 'Sharing data responsibly', step: 1 })}`);
    // Named by the lesson's number, so two cited lessons never have buttons that read alike.
    expect(reply.items![0].action).toEqual({ label: t('qa:actions.openLessonNumber', { number: '1.1' }), command: 'lesson.open', args: { lesson: 'm1-l1' } });

    // Typing "1" presses the first button.
    await send('u1', '1');
    expect(opened).toEqual(['m1-l1']);

    const second = await send('u1', 'What is automation bias?');
    expect(second.replies[0].text).not.toContain(t('qa:firstWelcome'));
    expect(second.replies[0].text).toContain('Automation bias is the tendency');
  });

  it('answers "ask <question>" and explains a too-long question', async () => {
    const t = localizer.forLanguage('en');
    const asked = await send('u2', 'ask what does FAIR data mean?');
    expect(asked.replies[0].text).toContain('findable, accessible, interoperable and reusable');
    const long = await send('u2', `What is X-Road ${'and why '.repeat(20)}?`);
    expect(long.replies[0]).toMatchObject({ intent: 'notice', text: t('qa:tooLong', { limit: 120 }) });
  });

  it('answers in Spanish from Spanish content, and says so when French falls back to English', async () => {
    const es = await send('u3', '¿Qué son los principios FAIR?', 'es-ES');
    expect(es.replies[0].text).toContain('localizables, accesibles, interoperables y reutilizables');
    const fr = await send('u4', "Qu'est-ce que X-Road ?", 'fr-FR');
    const tf = localizer.forLanguage('fr');
    expect(fr.replies[0].text).toContain(tf('qa:notice.languageFallback', { language: tf('common:language.names.fr'), contentLanguage: tf('common:language.names.en') }));
  });

  it('answers a question written in another course language in that language, and offers to keep it', async () => {
    const asked = await send('u6', '¿Qué son los principios FAIR?', 'en-US');
    const [reply] = asked.replies;
    expect(reply.lang).toBe('es');
    expect(reply.text).toContain('localizables, accesibles, interoperables y reutilizables');
    const keep = reply.actions?.find((a) => a.command === 'language');
    expect(keep?.args).toEqual({ lang: 'es' });
    // The learner's own language is unchanged until they press that button.
    expect((await send('u6', 'What does FAIR data mean?', 'en-US')).replies[0].lang).toBe('en');
  });

  it('says when the course does not cover a question and lists the closest lessons as buttons', async () => {
    const t = localizer.forLanguage('en');
    const { replies } = await send('u5', 'How do I bake sourdough bread?');
    expect(replies[0].intent).toBe('not-covered');
    expect(replies[0].title).toBe(t('qa:notCovered.title'));
    expect(replies[0].items!.every((i) => i.action?.command === 'lesson.open')).toBe(true);
  });

  it('"explain more" explains the current step, or says to open a lesson first', async () => {
    const t = localizer.forLanguage('en');
    currentStep = undefined;
    const none = await send('u6', 'explain more');
    expect(none.replies[0]).toMatchObject({ intent: 'notice', text: t('qa:explainNoStep') });
    currentStep = 'm1-l1-s1';
    const more = await send('u6', 'explain more');
    expect(more.replies[0].intent).toBe('answer');
    expect(more.replies[0].text).toContain('X-Road');
  });
});
