import type { Language } from '../../src/config/config-schema';
import type { CourseCatalog, QuizQuestion } from '../../src/core/course/content-model';
import { questionReply } from '../../src/core/course/course-replies';
import type { QuizSession } from '../../src/core/course/progress-state';
import type { Reply } from '../../src/intents/reply';
import type { Turn } from '../../src/core/turn';
import { directionOf, type Localizer } from '../../src/i18n/i18n';
import { replyToCard } from '../../src/render/adaptive-card-renderer';
import { renderBlockKit } from '../../src/render/block-kit-renderer';
import { toMrkdwn } from '../../src/render/block-kit/mrkdwn';
import { renderText } from '../../src/render/text-renderer';
import { actionFromSlackPayload } from '../../src/channels/slack/slack-action-payload';
import { localizer, realCatalog } from '../course/harness';
import { adaptiveCardValidator, cardActions } from '../teams/card-support';

const LANGS: Language[] = ['en', 'es', 'fr', 'pt', 'ar'];
/** About the width of a button on a phone: longer button text is cut off. */
const BUTTON_MAX = 30;
const validate = adaptiveCardValidator();

/** Just enough of a turn to build quiz replies outside a conversation. */
function turnIn(lang: Language, loc: Localizer): Turn {
  const t = loc.forLanguage(lang);
  return {
    lang,
    dir: directionOf(lang),
    t,
    learner: { key: 'learner:msteams:quiz-options' },
    reply: (partial: Omit<Reply, 'lang' | 'dir' | 'summary'> & { summary?: string }) => ({ ...partial, lang, dir: directionOf(lang), summary: partial.summary ?? partial.intent }),
  } as unknown as Turn;
}

function allQuestions(catalog: CourseCatalog, lang: Language): { owner: string; question: QuizQuestion }[] {
  const course = catalog.get(lang);
  return [
    ...course.modules.flatMap((m) => [...m.lessons.flatMap((l) => l.quiz.map((question) => ({ owner: l.id, question }))), ...m.quiz.map((question) => ({ owner: m.id, question }))]),
    ...course.modules.flatMap((m) => m.assessment.map((question) => ({ owner: 'final', question }))),
    ...course.finalAssessment.map((question) => ({ owner: 'final', question })),
  ];
}

function walk(node: any, visit: (n: any) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node);
  for (const value of Object.values(node)) walk(value, visit);
}

/** Right-to-left replies carry bidi isolation marks around Latin runs (test/render/rtl-reading-order); the text is what counts here. */
const unisolated = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

describe('quiz options are readable in full on every surface', () => {
  let catalog: CourseCatalog;
  let loc: Localizer;
  beforeAll(async () => {
    [catalog, loc] = await Promise.all([realCatalog(), localizer()]);
  });

  test.each(LANGS)('every quiz item in %s: full option text in the body, short buttons (Adaptive Cards, Block Kit, text)', (lang) => {
    const turn = turnIn(lang, loc);
    const course = catalog.get(lang);
    const questions = allQuestions(catalog, lang);
    expect(questions.length).toBeGreaterThan(50);
    let longOptions = 0;
    for (const { owner, question } of questions) {
      const session: QuizSession = { scope: owner === 'final' ? 'final' : owner.includes('-l') ? 'lesson' : 'module', owner, questionIds: [question.id], index: 0, answered: {} };
      const reply = questionReply(turn, course, session, question);
      const where = `${lang} ${question.id}`;
      longOptions += question.options.filter((o) => o.text.length > BUTTON_MAX).length;

      for (const mode of ['execute', 'submit'] as const) {
        const card = replyToCard(reply, turn.t, { actionMode: mode });
        expect({ where, valid: validate(card), errors: validate.errors?.slice(0, 2) }).toMatchObject({ valid: true });
        const shown: string[] = [];
        walk(card.body, (n) => {
          if (n.type === 'TextBlock') {
            expect({ where, wrap: n.wrap }).toEqual({ where, wrap: true });
            shown.push(unisolated(n.text));
          }
          if (n.type === 'Input.ChoiceSet') {
            expect({ where, wrap: n.wrap, style: n.style }).toEqual({ where, wrap: true, style: 'expanded' });
            shown.push(...n.choices.map((c: any) => unisolated(c.title)));
          }
        });
        const buttons = cardActions(card)
          .filter((x) => x.data?.command === 'quiz.answer' && x.data.args.answer)
          .map((a) => unisolated(a.title as string));
        for (const title of buttons) expect({ where, title, short: title.length <= BUTTON_MAX }).toMatchObject({ short: true });
        // A short option may be its own button; anything cut on a button must be in the body in full.
        for (const option of question.options) {
          const inFull = shown.some((s) => s.includes(option.text)) || buttons.some((b) => b.endsWith(option.text));
          expect({ where, option: option.text, inFull }).toMatchObject({ inFull: true });
        }
      }

      const slack = renderBlockKit(reply, turn.t);
      const sections: string[] = [];
      const controls: string[] = [];
      walk(slack.blocks, (n) => {
        if (n.type === 'section' && n.text?.text) sections.push(unisolated(n.text.text));
        if (n.type === 'button' && JSON.parse(n.value).command === 'quiz.answer' && JSON.parse(n.value).args.answer) controls.push(unisolated(n.text.text));
        if (n.type === 'checkboxes') controls.push(...n.options.map((o: any) => unisolated(o.text.text)));
      });
      for (const option of question.options) {
        const inFull = sections.some((s) => s.includes(toMrkdwn(option.text))) || controls.some((c) => c.endsWith(option.text));
        expect({ where, option: option.text, inFull }).toMatchObject({ inFull: true });
      }
      for (const c of controls) expect({ where, c, short: c.length <= BUTTON_MAX }).toMatchObject({ short: true });

      const text = renderText(reply, turn.t);
      for (const option of question.options) expect(unisolated(text)).toContain(option.text);
    }
    // The course really has long options, so this test exercises the listing.
    expect(longOptions).toBeGreaterThan(0);
  });

  test('options are named by letter in the body, and Arabic uses Arabic letters', () => {
    for (const lang of ['en', 'ar'] as const) {
      const turn = turnIn(lang, loc);
      const { owner, question } = allQuestions(catalog, lang).find((q) => q.question.type === 'single' && q.question.options.some((o) => o.text.length > BUTTON_MAX))!;
      const reply = questionReply(turn, catalog.get(lang), { scope: 'lesson', owner, questionIds: [question.id], index: 0, answered: {} }, question);
      const card = replyToCard(reply, turn.t, { actionMode: 'submit' });
      const first = lang === 'ar' ? 'أ' : 'A';
      const blocks: string[] = [];
      walk(card.body, (n) => n.type === 'TextBlock' && blocks.push(n.text));
      // The first option as shown (options are shuffled per learner and attempt) carries the first letter.
      const shownFirst = question.options.find((o) => o.id === reply.choices!.options[0].id)!;
      expect(blocks).toContain(`${first}. ${shownFirst.text}`);
      expect(
        cardActions(card)
          .find((a) => a.data.args.answer === shownFirst.id)!
          .title.startsWith(`${first}.`),
      ).toBe(true);
    }
  });

  test('a multiple-choice question shown again with its hint keeps the ticked boxes, in Slack too', () => {
    const turn = turnIn('en', loc);
    const { owner, question } = allQuestions(catalog, 'en').find((q) => q.question.type === 'multiple' && q.question.hint)!;
    const session: QuizSession = { scope: 'lesson', owner, questionIds: [question.id], index: 0, answered: {} };
    const ticked = question.options.slice(0, 2).map((o) => o.id);
    const reply = questionReply(turn, catalog.get('en'), session, question, { hint: true, selected: ticked });
    const card = replyToCard(reply, turn.t, { actionMode: 'submit' });
    expect(card.body.find((e) => e.type === 'Input.ChoiceSet')).toMatchObject({ value: ticked.join(',') });
    const slack = renderBlockKit(reply, turn.t);
    const boxes: any[] = [];
    walk(slack.blocks, (n) => n.type === 'checkboxes' && boxes.push(n));
    expect(boxes.flatMap((b) => (b.initial_options ?? []).map((o: any) => o.value))).toEqual(ticked);

    // The hint button of the unhinted question, pressed with two boxes ticked, carries them.
    const plain = renderBlockKit(questionReply(turn, catalog.get('en'), session, question), turn.t);
    const buttons: any[] = [];
    walk(plain.blocks, (n) => n.type === 'button' && buttons.push(n));
    const hint = buttons.find((b) => JSON.parse(b.value).command === 'quiz.hint');
    const state = { values: { b1: { 'govai-choice-1': { type: 'checkboxes', selected_options: ticked.map((value) => ({ value })) } } } };
    expect(actionFromSlackPayload({ actions: [{ type: 'button', action_id: hint.action_id, value: hint.value }], state })).toEqual({
      kind: 'action',
      action: { command: 'quiz.hint', args: { question: question.id, answer: ticked.join(',') } },
    });
  });
});
