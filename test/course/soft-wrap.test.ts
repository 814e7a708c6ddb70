import { joinSoftWraps } from '../../src/adapters/content/soft-wrap';
import { realCatalog } from './harness';

describe('hard-wrapped course files read as flowing paragraphs', () => {
  test('module introductions (modules 3 and 4 were wrapped in the source) have no line breaks inside a paragraph, in every language', async () => {
    const catalog = await realCatalog();
    for (const lang of ['en', 'es', 'fr', 'pt', 'ar'] as const) {
      for (const module of catalog.get(lang).modules) {
        for (const paragraph of (module.intro ?? '').split(/\n{2,}/)) {
          const lines = paragraph.split('\n');
          // A paragraph is one line, unless it is a list.
          expect({ lang, module: module.id, lines: lines.filter((l) => !/^\s*[-*] /.test(l)).length <= 1 }).toMatchObject({ lines: true });
        }
      }
      const m3 = catalog.get(lang).modules.find((m) => m.id === 'm3')!;
      expect(m3.intro?.length).toBeGreaterThan(200);
    }
  });

  test('lists, headings, quotes, hard breaks and paragraph breaks are kept', () => {
    const source = 'One line\nwrapped here.\n\n- item one\n  continued\n- item two\n\n> a quote\n> more\n\nHard break  \nnext line\n## Heading\ntext';
    expect(joinSoftWraps(source)).toBe('One line wrapped here.\n\n- item one continued\n- item two\n\n> a quote\n> more\n\nHard break  \nnext line\n## Heading\ntext');
  });
});
