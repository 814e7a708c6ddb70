import { TermVocabulary } from '../../src/adapters/retrieval/term-vocabulary';
import { editDistance, withinOneEdit } from '../../src/core/text-normalize';
import { seededRandom } from '../../src/core/seeded-random';

// Words of the kind the course indexes (stems, accents, Arabic), and typos made from them.
const WORDS = [
  'algorithm',
  'algorithmic',
  'algorit',
  'automat',
  'automation',
  'autonom',
  'bias',
  'biais',
  'sesgo',
  'privaci',
  'privat',
  'strategi',
  'stratagem',
  'pseudonym',
  'pseudonymis',
  'données',
  'donne',
  'دولة',
  'دول',
  'بيانات',
  'ai',
  'aa',
  'a',
  'x-road',
];

function typos(random: () => number, word: string): string[] {
  const at = Math.floor(random() * (word.length + 1));
  const letter = 'aeiostrnd'[Math.floor(random() * 9)]!;
  return [word.slice(0, at) + letter + word.slice(at), word.slice(0, at) + word.slice(at + 1), word.slice(0, at) + letter + word.slice(at + 1), `${word.slice(0, at)}${word.slice(at + 2)}`];
}

describe('fuzzy matching', () => {
  const random = seededRandom(7);
  const queries = WORDS.flatMap((w) => [w, ...typos(random, w), ...typos(random, w)]);

  it('one edit away, checked in one pass, agrees with the edit-distance table for every pair', () => {
    let near = 0;
    for (const a of queries)
      for (const b of queries) {
        expect(withinOneEdit(a, b)).toBe(editDistance(a, b, 1) <= 1);
        if (withinOneEdit(a, b) && a !== b) near++;
      }
    expect(near).toBeGreaterThan(50);
  });

  it('finds exactly the vocabulary terms within one or two edits that comparing every term finds', () => {
    const vocabulary = new TermVocabulary([...new Set(WORDS)].sort());
    for (const query of queries)
      for (const max of [1, 2]) {
        const expected = vocabulary.terms.flatMap((t, i) => (editDistance(query, t, max) <= max ? [[i, editDistance(query, t, max)]] : []));
        expect(vocabulary.near(query, max)).toEqual(expected);
      }
    expect(vocabulary.near('algoritm', 1).map(([i]) => vocabulary.terms[i])).toEqual(['algorit', 'algorithm']);
    expect(vocabulary.withPrefix('pseudonym').map((i) => vocabulary.terms[i])).toEqual(['pseudonym', 'pseudonymis']);
  });
});
