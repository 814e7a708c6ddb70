import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Language } from '../../src/config/config-schema';
import { collectChunks } from '../../src/adapters/retrieval/course-chunks';
import { fuzzyDistance, LexicalIndex } from '../../src/adapters/retrieval/lexical-index';
import { analyze } from '../../src/core/qa/text-analysis';
import type { Chunk } from '../../src/ports/retrieval';
import { SHARED_DIR } from '../support/app-harness';

/**
 * The typed-array index replaced MiniSearch (at 50× the course MiniSearch held 1.4 GB). This is
 * the configuration it had; the new index must rank and score every course question as it did.
 */
function miniSearchFor(lang: Language, chunks: Chunk[]): MiniSearch<Chunk> {
  const index = new MiniSearch<Chunk>({
    fields: ['title', 'text'],
    idField: 'id',
    tokenize: (text: string) => analyze(text, lang),
    processTerm: (term: string) => term,
    searchOptions: {
      boost: { title: 2 },
      combineWith: 'OR',
      prefix: (term: string) => term.length >= 5,
      fuzzy: (term: string) => fuzzyDistance(term, lang),
      weights: { fuzzy: 0.4, prefix: 0.3 },
    },
  });
  index.addAll(chunks.filter((c) => c.lang === lang));
  return index;
}

const questions = ['questions.dev.jsonl', 'questions.dev2.jsonl', 'offtopic.dev.jsonl']
  .flatMap((f) => fs.readFileSync(path.join(SHARED_DIR, 'eval', f), 'utf8').split('\n'))
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { lang: Language; question: string });

describe('lexical index against MiniSearch, the library it replaced', () => {
  let chunks: Chunk[];
  let index: LexicalIndex;
  beforeAll(async () => {
    chunks = await collectChunks(path.join(__dirname, '../../knowledge'));
    index = LexicalIndex.build(chunks);
  });

  it('ranks and scores every development question (and its typos) the same, in all five languages', () => {
    const reference = new Map<Language, MiniSearch<Chunk>>();
    let compared = 0;
    // The questions as typed, and with letters dropped and swapped, so prefix and fuzzy matches are exercised.
    const typo = (q: string) => q.replace(/(\p{L})(\p{L})(\p{L}{4,})/gu, (_, a, b, rest) => `${b}${a}${rest.slice(1)}`);
    for (const { lang, question } of questions) {
      if (!reference.has(lang)) reference.set(lang, miniSearchFor(lang, chunks));
      for (const q of [question, typo(question)]) {
        const expected = reference
          .get(lang)!
          .search(q)
          .slice(0, 20)
          .map((r) => ({ id: String(r.id), score: r.score }));
        const actual = index.search(q, lang, 20);
        expect(actual.map((h) => h.id).slice(0, 5)).toEqual(expected.map((h) => h.id).slice(0, 5));
        expect(actual.length).toBe(expected.length);
        for (const [i, hit] of actual.entries()) expect(hit.score).toBeCloseTo(expected[i]!.score, 6);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
