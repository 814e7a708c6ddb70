import { SUPPORTED_LANGUAGES, type Language } from '../../src/config/config-schema';
import type { Intent, Reply } from '../../src/intents/reply';
import { numberedChoices } from '../../src/core/command-registry';
import { createLocalizer, directionOf, type Localizer } from '../../src/i18n/i18n';
import { renderBlockKit } from '../../src/render/block-kit-renderer';
import { toMrkdwn, splitText } from '../../src/render/block-kit/mrkdwn';
import type { ActionsBlock, Block, ButtonElement } from '../../src/render/block-kit/types';
import { actionFromSlackPayload } from '../../src/channels/slack/slack-action-payload';
import { homeView } from '../../src/channels/slack/slack-home';
import { plainTextOf } from '../../src/channels/slack/slack-payloads';
import { stripMention } from '../../src/channels/slack/slack-channel';
import { blockKitProblems } from './block-kit-limits';
import { ALL_INTENTS } from '../teams/card-support';

const long = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i} about **digital government** & <services>.`).join(' ');

/** A reply of any intent using every Reply field; `size` makes it ordinary or far beyond Slack's limits. */
function sample(intent: Intent, lang: Language, size: 'ordinary' | 'huge'): Reply {
  const many = size === 'huge';
  const options = Array.from({ length: many ? 30 : 4 }, (_, i) => ({ id: `o${i + 1}`, label: many ? `Option ${i + 1}: ${'a very long answer '.repeat(6)}` : `Option ${i + 1}` }));
  return {
    intent,
    lang,
    dir: directionOf(lang),
    title: many ? `Title ${'x'.repeat(300)}` : `${intent} title`,
    text: many ? long(2000) : 'Some **bold** and _italic_ text.\n\n- first point\n- second point',
    position: 'Module 1 · Lesson 2 of 4 · Step 3 of 5',
    progress: { done: 3, total: 12, label: 'Course progress' },
    facts: Array.from({ length: many ? 25 : 3 }, (_, i) => ({ label: `Fact ${i}`, value: many ? 'v'.repeat(2500) : `value ${i}` })),
    items: Array.from({ length: many ? 80 : 3 }, (_, i) => ({
      title: `Item ${i}`,
      text: `About item ${i}`,
      badge: `${i}/4`,
      action: { label: many ? `Open item ${i} with a label much longer than any Slack button allows for sure` : `Open item ${i}`, command: 'modules', args: { module: `m${i}` } },
    })),
    choices:
      intent === 'ask-question' || intent === 'review'
        ? { selection: intent === 'review' ? 'multiple' : 'single', command: 'quiz.answer', args: { question: 'q1' }, options, inputLabel: 'Your answer' }
        : undefined,
    actions: Array.from({ length: many ? 30 : 2 }, (_, i) => ({ label: `Action ${i}`, command: 'next', args: { n: String(i) }, style: i === 0 ? 'primary' : 'default' })),
    attachments: [{ name: 'Certificate (PDF)', contentType: 'application/pdf', url: 'https://example.org/c.pdf?a=1&b=2' }],
    summary: `${intent} summary`,
    key: 'quiz:q1',
  };
}

const buttons = (blocks: Block[]): ButtonElement[] =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements.filter((e): e is ButtonElement => e.type === 'button') : b.type === 'section' && b.accessory ? [b.accessory] : []));

describe('Block Kit renderer', () => {
  let localizer: Localizer;
  beforeAll(async () => {
    localizer = await createLocalizer();
  });

  it.each(ALL_INTENTS)('renders %s within every Slack limit, ordinary and oversized, in every language', (intent) => {
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const size of ['ordinary', 'huge'] as const) {
        const message = renderBlockKit(sample(intent, lang, size), localizer.forLanguage(lang));
        expect(blockKitProblems(message)).toEqual([]);
        expect(message.text).toBe(`${intent} summary`);
      }
    }
  });

  it('keeps every button of an oversized reply and shortens the text instead', () => {
    const reply = sample('course-map', 'en', 'huge');
    const message = renderBlockKit(reply, localizer.forLanguage('en'));
    // Every numbered choice (items, then actions) is still a button.
    expect(buttons(message.blocks).map((b) => JSON.parse(b.value))).toEqual(numberedChoices(reply).map((a) => ({ command: a.command, args: a.args ?? {} })));
    expect(JSON.stringify(message.blocks)).toContain('This message was shortened to fit in Slack.');
  });

  it('shows an ordinary reply completely: title, position, text, progress, facts, items, buttons, attachments', () => {
    const message = renderBlockKit(sample('show-step', 'en', 'ordinary'), localizer.forLanguage('en'));
    const json = JSON.stringify(message.blocks);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'show-step title', emoji: true } });
    expect(message.blocks[1]).toMatchObject({ type: 'context' });
    expect(json).toContain('Some *bold* and _italic_ text.');
    expect(json).toContain('• first point');
    expect(json).toContain('3/12');
    expect(json).toContain('*Fact 0*\\nvalue 0');
    expect(json).toContain('<https://example.org/c.pdf?a=1&amp;b=2|Certificate (PDF)>');
    const primary = buttons(message.blocks).find((b) => b.style === 'primary');
    expect(primary?.text.text).toBe('Action 0');
    expect(JSON.parse(primary!.value)).toEqual({ command: 'next', args: { n: '0' } });
  });

  it('splits text longer than a section allows into several sections without losing words', () => {
    const text = long(300);
    const message = renderBlockKit({ intent: 'answer', lang: 'en', dir: 'ltr', text, summary: 's' }, localizer.forLanguage('en'));
    const sections = message.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    const joined = sections.map((s) => (s.type === 'section' ? s.text!.text : '')).join(' ');
    expect(joined.replace(/\s+/g, ' ')).toBe(toMrkdwn(text).replace(/\s+/g, ' '));
  });

  it('single-choice questions are buttons carrying the question and the option id', () => {
    const reply = sample('ask-question', 'en', 'ordinary');
    const message = renderBlockKit({ ...reply, items: undefined, actions: undefined }, localizer.forLanguage('en'));
    const values = buttons(message.blocks).map((b) => JSON.parse(b.value));
    expect(values).toEqual(reply.choices!.options.map((o) => ({ command: 'quiz.answer', args: { question: 'q1', answer: o.id } })));
  });

  it('multiple-choice questions are checkboxes with a submit button that collects the checked options', () => {
    const reply = sample('review', 'en', 'ordinary');
    const message = renderBlockKit({ ...reply, items: undefined, actions: undefined }, localizer.forLanguage('en'));
    const row = message.blocks.find((b): b is ActionsBlock => b.type === 'actions')!;
    const boxes = row.elements.find((e) => e.type === 'checkboxes')!;
    const submit = row.elements.find((e) => e.type === 'button') as ButtonElement;
    expect(boxes.type === 'checkboxes' && boxes.options.map((o) => o.value)).toEqual(['o1', 'o2', 'o3', 'o4']);
    // What Slack sends back when the learner checks options 1 and 3 and presses the button.
    const payload = {
      type: 'block_actions',
      actions: [{ type: 'button', action_id: submit.action_id, value: submit.value }],
      state: { values: { blk: { [boxes.action_id]: { type: 'checkboxes', selected_options: [{ value: 'o1' }, { value: 'o3' }] } } } },
    };
    expect(actionFromSlackPayload(payload)).toEqual({ kind: 'action', action: { command: 'quiz.answer', args: { question: 'q1', answer: 'o1,o3' } } });
    const none = { ...payload, state: { values: { blk: { [boxes.action_id]: { type: 'checkboxes', selected_options: [] } } } } };
    expect(actionFromSlackPayload(none)).toEqual({ kind: 'no-selection' });
  });

  it('lists long option labels in full and numbers the shortened buttons', () => {
    const label = 'An answer that is far longer than the seventy-five characters a Slack button label may have';
    const message = renderBlockKit(
      {
        intent: 'ask-question',
        lang: 'en',
        dir: 'ltr',
        summary: 's',
        choices: {
          selection: 'single',
          command: 'quiz.answer',
          args: { question: 'q' },
          options: [
            { id: 'a', label },
            { id: 'b', label: 'Short' },
          ],
        },
      },
      localizer.forLanguage('en'),
    );
    expect(JSON.stringify(message.blocks)).toContain(`*1.* ${label}`);
    expect(buttons(message.blocks).map((b) => b.text.text)).toEqual([expect.stringMatching(/^1\. An answer.*…$/), '2. Short']);
  });

  it('escapes Slack control characters and converts links', () => {
    expect(toMrkdwn('a < b & c > d, see [the guide](https://example.org/x)')).toBe('a &lt; b &amp; c &gt; d, see <https://example.org/x|the guide>');
    for (const chunk of splitText('word '.repeat(2000), 3000)) expect(chunk.length).toBeLessThanOrEqual(3000);
  });

  it('App Home shows every reply within 100 blocks with unique action ids', () => {
    const replies = [sample('progress', 'en', 'huge'), sample('help', 'en', 'ordinary')];
    const view = homeView(replies, localizer.forLanguage('en'));
    expect(view.type).toBe('home');
    expect(blockKitProblems({ blocks: view.blocks }, 100)).toEqual([]);
  });
});

describe('incoming Slack text', () => {
  it('reads what the learner typed: links, entities and the bot mention', () => {
    expect(plainTextOf('is &lt;this&gt; &amp; <https://example.org/a?b=1|the guide> ok? <https://x.org>')).toBe('is <this> & the guide (https://example.org/a?b=1) ok? https://x.org');
    expect(stripMention('<@UBOT> what is <#C1|general> about?', 'UBOT')).toBe('what is <#C1|general> about?');
    expect(plainTextOf(stripMention('<@UBOT> what is <#C1|general> about?', 'UBOT'))).toBe('what is general about?');
  });
});
