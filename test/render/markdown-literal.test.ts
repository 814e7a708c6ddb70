import { formatForTerminal } from '../../src/channels/terminal/terminal-format';
import { literal } from '../../src/core/markdown-literal';
import { plainText } from '../../src/render/adaptive-cards/card-markdown';
import { toMrkdwn } from '../../src/render/block-kit/mrkdwn';

/** Names, questions and other text people type, written to look like formatting or links. */
const TYPED = [
  '[Verified by UNESCO](https://evil.example/)',
  '**Dr** _Ana_ ~Silva~ `code`',
  '<b>bold</b> & <https://evil.example|click here>',
  '- not a list\n+ nor this\n1. nor this\n# nor a heading\n> nor a quote',
  'back\\slash \\[already escaped\\]',
  "O'Brien-Smith, 3.5 stars! (maybe) | pipe",
  'محمد [رابط](https://evil.example) ١٢٣',
];

const decodeSlack = (s: string) =>
  s
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('text a person typed, through every renderer', () => {
  it.each(TYPED)('reads back exactly as typed in plain text and the terminal: %s', (typed) => {
    expect(plainText(literal(typed))).toBe(typed.replace(/\s+/g, ' ').trim());
    expect(formatForTerminal(literal(typed), false)).toBe(typed);
  });

  it.each(TYPED)('forms no Slack link or formatting, and shows as typed: %s', (typed) => {
    const mrkdwn = toMrkdwn(literal(typed));
    expect(mrkdwn).not.toMatch(/<https?:/);
    expect(mrkdwn).not.toMatch(/(^|[^\u200b])[*_~`](?!\u200b)/);
    expect(decodeSlack(mrkdwn)).toBe(typed);
  });

  it('escapes every Markdown marker for Adaptive Cards, and list markers only at the start of a line', () => {
    expect(literal('[x](y) **b** _i_')).toBe('\\[x\\]\\(y\\) \\*\\*b\\*\\* \\_i\\_');
    expect(literal('- a - b\n2. c 2.5')).toBe('\\- a - b\n2\\. c 2.5');
  });

  it("keeps the course's own Markdown working beside escaped text", () => {
    expect(toMrkdwn(`**Name:** ${literal('**x**')}`)).toBe('*Name:* \u200b*\u200b\u200b*\u200bx\u200b*\u200b\u200b*\u200b');
    expect(plainText(`**Name:** ${literal('_x_')}`)).toBe('Name: _x_');
  });
});
