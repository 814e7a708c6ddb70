import { questionUnits } from '../../src/core/qa/coverage';
import { isPlaceTerm, selfContextPlaces } from '../../src/core/qa/place-names';
import { analyzeWord, wordTokens } from '../../src/core/qa/text-analysis';
import type { Language } from '../../src/config/config-schema';

const context = (question: string, lang: Language) => [...selfContextPlaces(question, wordTokens(question), lang)];
const place = (word: string, lang: Language) => isPlaceTerm(analyzeWord(word, lang) ?? word, lang);

describe('countries typed in lower case', () => {
  it('are told from everyday words in every course language', () => {
    expect(place("japan's", 'en')).toBe(true);
    expect(place('perú', 'es')).toBe(true);
    expect(place('peru', 'es')).toBe(true);
    expect(place('tunisie', 'fr')).toBe(true);
    expect(place('angola', 'pt')).toBe(true);
    expect(place('قطر', 'ar')).toBe(true);
    expect(place('اليابان', 'ar')).toBe(true);
    for (const [word, lang] of [
      ['digital', 'en'],
      ['data', 'en'],
      ['datos', 'es'],
      ['cor', 'pt'],
      ['numérique', 'fr'],
      ['بيانات', 'ar'],
    ] as const)
      expect(place(word, lang)).toBe(false);
  });

  it('weigh as an unknown name when the course never mentions them, and as a plain word when it does', () => {
    const course = new Set(['ai', 'promot', 'act', 'requir', 'govern', 'ministri', 'kenya', 'law', 'digit']);
    const units = (question: string) => questionUnits({ question, lang: 'en', idf: () => 3, knows: (t) => course.has(t), nearestTerm: () => undefined });
    const japan = units("what does japan's ai promotion act require of ministries, roughly?");
    const country = japan.units.find((u) => u.terms.includes('japan'));
    const everyday = japan.units.find((u) => u.terms.includes('rough'));
    expect(country).toMatchObject({ unknownName: true });
    // An everyday word the course does not use is no name, and weighs a third as much.
    expect(everyday).toMatchObject({ unknownName: false, oov: true });
    expect(country!.weight).toBeGreaterThan(2 * everyday!.weight);
    expect(units('what does the ai act require of ministries, roughly?').unknownNames).toBe(0);
    // A country the course does mention is one of its words.
    const kenya = units("what does kenya's digital law require?");
    expect(kenya.unknownNames).toBe(0);
  });

  it("are the learner's context, not the topic, where the learner says where they work", () => {
    const course = new Set(['civil', 'servant', 'autom', 'bias', 'law', 'data']);
    const units = (question: string) => questionUnits({ question, lang: 'en', idf: () => 3, knows: (t) => course.has(t), nearestTerm: () => undefined });
    const intro = units("i'm a civil servant in ghana, what is automation bias?");
    expect(intro.units.some((u) => u.terms.includes('ghana'))).toBe(false);
    expect(intro.unknownNames).toBe(0);
    // Asked about, the same country is an unknown name.
    expect(units("what does ghana's data law say?").units.find((u) => u.terms.includes('ghana'))).toMatchObject({ unknownName: true });
    expect(context('trabajo en el perú, ¿qué es el sesgo?', 'es')).toEqual([3]);
    expect(context('أنا من قطر، ما هو التحيز؟', 'ar')).toEqual([2]);
    expect(context('¿qué exige la ley del perú?', 'es')).toEqual([]);
  });
});
