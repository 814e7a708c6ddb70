import type { Reply } from '../../src/intents/reply';
import { localizer } from '../course/harness';
import { renderAdaptiveCard } from '../../src/render/adaptive-card-renderer';
import { renderBlockKit } from '../../src/render/block-kit-renderer';
import { renderText } from '../../src/render/text-renderer';
import { inReadingOrder } from '../../src/render/rtl-reading-order';

const LRI = '\u2066';
const PDI = '\u2069';

const arabic: Reply = {
  intent: 'answer',
  lang: 'ar',
  dir: 'rtl',
  title: 'قانون الذكاء الاصطناعي (AI Act)',
  text: 'تطبق المحظورات منذ 2 فبراير 2025، أي 70% من المهلة. اقرأ [الدرس](https://bot.example.org/lesson?id=m5-l2) أو راجع ISO/IEC 42001.',
  facts: [{ label: 'المعرّف', value: 'm5-l2-s3' }],
  choices: {
    selection: 'single',
    command: 'quiz.answer',
    args: { question: 'm5-l2-q1' },
    options: [
      { id: 'a', label: 'إطار NIST AI RMF 1.0' },
      { id: 'b', label: 'لا شيء مما سبق' },
    ],
  },
  actions: [{ label: 'افتح m5-l2', command: 'lesson.open', args: { lesson: 'm5-l2' } }],
  summary: 'قانون الذكاء الاصطناعي (AI Act)',
};

describe('right-to-left replies keep Latin runs in reading order, in every renderer', () => {
  it('isolates what the learner reads and never ids, commands or link targets', () => {
    const out = inReadingOrder(arabic);
    expect(out.title).toContain(`(${LRI}AI Act${PDI})`);
    expect(out.text).toContain(`${LRI}70%${PDI}`);
    expect(out.text).toContain('](https://bot.example.org/lesson?id=m5-l2)');
    expect(out.choices!.options[0]).toEqual({ id: 'a', label: `إطار ${LRI}NIST AI RMF 1.0${PDI}` });
    expect(out.actions![0]).toEqual({ label: `افتح ${LRI}m5-l2${PDI}`, command: 'lesson.open', args: { lesson: 'm5-l2' } });
    expect(inReadingOrder(out)).toEqual(out);
  });

  it('reaches the Adaptive Card, Block Kit and plain text', async () => {
    const t = (await localizer()).forLanguage('ar');
    const card = JSON.stringify(renderAdaptiveCard(arabic, t, 'execute'));
    expect(card).toContain(`${LRI}70%${PDI}`);
    expect(card).toContain('"lesson":"m5-l2"');
    const slack = JSON.stringify(renderBlockKit(arabic, t));
    expect(slack).toContain(`${LRI}70%${PDI}`);
    expect(slack).toContain('<https://bot.example.org/lesson?id=m5-l2|');
    expect(renderText(arabic, t)).toContain(`${LRI}NIST AI RMF 1.0${PDI}`);
  });

  it('leaves left-to-right replies exactly as they are', async () => {
    const english: Reply = { ...arabic, lang: 'en', dir: 'ltr', title: 'The AI Act', text: '70% of the time.', summary: 'The AI Act' };
    expect(inReadingOrder(english)).toBe(english);
    const t = (await localizer()).forLanguage('en');
    expect(JSON.stringify(renderBlockKit(english, t))).not.toContain(LRI);
  });
});
