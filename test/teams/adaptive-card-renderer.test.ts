import { SUPPORTED_LANGUAGES } from '../../src/config/config-schema';
import { actionFromValue } from '../../src/channels/botframework/activity-to-turn';
import { numberedChoices } from '../../src/core/command-registry';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { submitCardRenderer, teamsCardRenderer } from '../../src/channels/botframework/adaptive-card-activity';
import { ADAPTIVE_CARD_CONTENT_TYPE, replyToCard } from '../../src/render/adaptive-card-renderer';
import { adaptiveCardValidator, ALL_INTENTS, cardActions, sampleReplies } from './card-support';

describe('Adaptive Card renderer', () => {
  let localizer: Localizer;
  const validate = adaptiveCardValidator();
  beforeAll(async () => {
    localizer = await createLocalizer();
  });

  for (const lang of SUPPORTED_LANGUAGES) {
    it(`renders every intent as a valid Adaptive Card 1.5 in "${lang}", in both flavours`, () => {
      const t = localizer.forLanguage(lang);
      for (const intent of ALL_INTENTS) {
        for (const reply of sampleReplies(intent, lang)) {
          for (const renderer of [teamsCardRenderer, submitCardRenderer]) {
            const [activity] = renderer.render([reply], t);
            expect(activity.attachments).toHaveLength(1);
            expect(activity.attachments![0].contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
            const card = activity.attachments![0].content as any;
            const ok = validate(card);
            if (!ok) throw new Error(`${lang}/${intent}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
            expect(card.version).toBe('1.5');
            expect(card.fallbackText).toBe(reply.summary);
            expect(card.lang).toBe(lang);
            expect(Boolean(card.rtl)).toBe(lang === 'ar');
            expect(activity.summary).toBe(reply.summary);
          }
        }
      }
    });
  }

  it('is checked by a validator that rejects what Teams would reject', () => {
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', wrap: 'yes' }] })).toBe(false);
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [], actions: [{ type: 'Action.Execute', title: 'x', verb: 'next', bogus: 1 }] })).toBe(false);
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.ChoiceSet', id: 'answer', label: 'x', isMultiSelect: 'true' }] })).toBe(false);
  });

  it('offers exactly the numbered choices of the text renderer, each sending back its command and args', async () => {
    const t = localizer.forLanguage('en');
    for (const intent of ALL_INTENTS) {
      for (const reply of sampleReplies(intent, 'en')) {
        if (reply.choices?.selection === 'multiple') continue; // one input + one submit, checked below
        const card = replyToCard(reply, t, { actionMode: 'submit' });
        const sent = cardActions(card)
          .filter((a) => a.type === 'Action.Submit')
          .map((a) => actionFromValue(a.data));
        const expected = numberedChoices(reply).map((a) => ({ command: a.command, args: a.args ?? {} }));
        expect(sent).toEqual(expected);
      }
    }
  });

  it('uses Action.Execute with an Action.Submit fallback for Teams, and Action.Submit only for Web Chat', () => {
    const t = localizer.forLanguage('en');
    const [reply] = sampleReplies('show-step', 'en');
    const teams = cardActions(replyToCard(reply, t, { actionMode: 'execute' }));
    expect(teams.length).toBeGreaterThan(0);
    for (const action of teams) {
      expect(action.type).toBe('Action.Execute');
      expect(action.verb).toBe(action.data.command);
      expect(action.fallback).toEqual({ type: 'Action.Submit', title: action.title, data: action.data, ...(action.style ? { style: action.style } : {}) });
      // What Teams sends in the adaptiveCard/action invoke maps back to the same route.
      expect(actionFromValue({ action: { type: 'Action.Execute', verb: action.verb, data: action.data } })).toEqual(action.data);
    }
    const web = cardActions(replyToCard(reply, t, { actionMode: 'submit' }));
    expect(web.map((a) => a.type)).toEqual(teams.map(() => 'Action.Submit'));
  });

  it('renders a single-choice question as one short button per option, long options listed in full above them', () => {
    const [single] = sampleReplies('ask-question', 'en');
    const card = replyToCard(single, localizer.forLanguage('en'), { actionMode: 'execute' });
    const buttons = cardActions(card);
    expect(buttons.map((b) => b.title)).toEqual(['1. It needs no oversight', '2. It must be explainable to…']);
    expect(card.body.filter((e) => e.type === 'TextBlock').map((e) => e.text)).toContain('2. It must be explainable to citizens');
    expect(buttons.map((b) => b.data)).toEqual([
      { command: 'quiz.answer', args: { question: 'm1-l2-q1', answer: 'a' } },
      { command: 'quiz.answer', args: { question: 'm1-l2-q1', answer: 'b' } },
    ]);
  });

  it('renders a multiple-choice question as a labelled multi-select input whose submit carries the chosen ids', () => {
    const [, multiple] = sampleReplies('ask-question', 'fr');
    const card = replyToCard(multiple, localizer.forLanguage('fr'), { actionMode: 'execute' });
    const input = card.body.find((e) => e.type === 'Input.ChoiceSet') as any;
    expect(input).toMatchObject({ id: 'answer', isMultiSelect: true, label: 'Your answers', style: 'expanded', wrap: true });
    // Not required: a required input would block every other button of the card (the hint).
    expect(input.isRequired).toBeUndefined();
    expect(input.choices).toEqual([
      { title: '1. Data quality', value: 'a' },
      { title: '2. Procurement', value: 'b' },
      { title: '3. Luck', value: 'c' },
    ]);
    const [submit] = cardActions(card);
    expect(submit.title).toBe('Check my answer');
    // Teams merges the input into data: { ..., answer: "a,b" }.
    expect(actionFromValue({ action: { data: { ...submit.data, answer: 'a,b' } } })).toEqual({ command: 'quiz.answer', args: { question: 'm1-l2-q2', answer: 'a,b' } });
    expect(actionFromValue({ ...submit.fallback.data, answer: 'a,b' })).toEqual({ command: 'quiz.answer', args: { question: 'm1-l2-q2', answer: 'a,b' } });
  });

  it('gives a multiple-choice input a localized label when the reply has none', () => {
    const [, multiple] = sampleReplies('ask-question', 'en');
    const card = replyToCard({ ...multiple, choices: { ...multiple.choices!, inputLabel: undefined, submitLabel: undefined } }, localizer.forLanguage('en'), { actionMode: 'submit' });
    const input = card.body.find((e) => e.type === 'Input.ChoiceSet') as any;
    expect(input.label).toMatch(/answer/i);
    expect(cardActions(card)[0].title).toMatch(/answer/i);
  });

  it('shows progress as numbers, facts as a FactSet, and attachments as titled links', () => {
    const t = localizer.forLanguage('en');
    const progress = replyToCard(sampleReplies('progress', 'en')[0], t, { actionMode: 'execute' });
    expect(JSON.stringify(progress.body)).toContain('Lessons: 3 of 12 (25%)');
    expect(progress.body).toContainEqual({
      type: 'FactSet',
      facts: [
        { title: 'Quiz score', value: '80%' },
        { title: 'Streak', value: '2 days' },
      ],
    });
    const certificate = replyToCard(sampleReplies('certificate', 'en')[0], t, { actionMode: 'execute' });
    expect(cardActions(certificate)).toContainEqual(
      expect.objectContaining({ type: 'Action.OpenUrl', url: 'https://example.org/certificates/abc.pdf', title: 'certificate.pdf', tooltip: 'Open certificate.pdf' }),
    );
  });

  it('keeps paragraphs and lists of the light Markdown, and right-to-left cards for Arabic', () => {
    const [step] = sampleReplies('show-step', 'ar');
    const card = replyToCard(step, localizer.forLanguage('ar'), { actionMode: 'execute' });
    const texts = card.body.filter((e) => e.type === 'TextBlock').map((e) => e.text);
    expect(texts).toContain('Paragraph one with **bold**.');
    expect(texts).toContain('- a star bullet\n- another');
    expect(card.rtl).toBe(true);
    expect(card.speak).not.toMatch(/\*\*/);
  });

  it('puts actions beyond the six Teams shows into the overflow menu instead of dropping them', () => {
    const card = replyToCard(sampleReplies('help', 'en')[0], localizer.forLanguage('en'), { actionMode: 'execute' });
    expect(card.actions).toHaveLength(8);
    expect(card.actions!.slice(0, 6).every((a) => a.mode === undefined)).toBe(true);
    expect(card.actions!.slice(6).every((a) => a.mode === 'secondary')).toBe(true);
  });
});
