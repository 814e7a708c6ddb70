import { wrapForTerminal } from '../../src/channels/terminal/word-wrap';
import { formatForTerminal } from '../../src/channels/terminal/terminal-format';
import { realCatalog } from '../course/harness';

const visible = (line: string) => Array.from(line.replace(/\u001b\[[0-9;]*m/g, '')).length;
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('terminal word wrap', () => {
  test('real course text wraps between words only, within the width, in English and Arabic', async () => {
    const catalog = await realCatalog();
    for (const lang of ['en', 'ar'] as const) {
      const steps = catalog
        .get(lang)
        .modules.flatMap((m) => m.lessons.flatMap((l) => l.steps))
        .slice(0, 12);
      for (const step of steps) {
        const shown = formatForTerminal(`**${step.title}**\n\n${step.body}`, true);
        const wrapped = wrapForTerminal(shown, 40);
        // No word is cut or lost: the same words in the same order.
        expect(words(wrapped)).toEqual(words(shown));
        for (const line of wrapped.split('\n')) {
          if (visible(line) > 40) expect(words(line)).toHaveLength(1);
        }
      }
    }
  });

  test('a long numbered choice continues under its text, and piped output is left alone', () => {
    const choice = '3. Define success and stopping criteria before the pilot starts, and publish them';
    expect(wrapForTerminal(choice, 30).split('\n')).toEqual(['3. Define success and stopping', '   criteria before the pilot', '   starts, and publish them']);
    expect(wrapForTerminal(choice, undefined)).toBe(choice);
  });
});
