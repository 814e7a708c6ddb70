import { analyze, foldText, questionFocus } from '../../src/core/qa/text-analysis';
import { splitSentences } from '../../src/core/qa/sentences';
import { meetsExpectations } from '../../src/core/qa/expectation-match';

describe('per-language text analysis', () => {
  it('stems English and drops stop and question words', () => {
    expect(analyze('What are the principles of processing personal data?', 'en')).toEqual(['principl', 'process', 'person', 'data']);
  });

  it('folds accents after Snowball stemming so accented and plain spellings meet', () => {
    expect(analyze('evaluación de impacto', 'es')).toEqual(expect.arrayContaining(analyze('evaluacion de impactos', 'es')));
    expect(analyze('Les données personnelles', 'fr')).toEqual(expect.arrayContaining(analyze('donnee personnelle', 'fr')));
    expect(analyze('proteção de dados', 'pt')).toEqual(expect.arrayContaining(analyze('protecao dos dados', 'pt')));
  });

  it('normalises Arabic diacritics, letter forms and digits', () => {
    expect(analyze('الذَّكَاءُ الاصطناعيّ', 'ar')).toEqual(analyze('الذكاء الاصطناعي', 'ar'));
    expect(foldText('أإآ ة ى ٢٠٢١')).toBe('ااا ه ي 2021');
    expect(analyze('اعتمدت في ٢٠٢١', 'ar')).toContain('2021');
  });

  it('recognises questions asking for a date or a count in every language', () => {
    expect(questionFocus('When was it adopted?')).toBe('when');
    expect(questionFocus('¿Cuándo se aprobó?')).toBe('when');
    expect(questionFocus('Quand est-il entré en vigueur ?')).toBe('when');
    expect(questionFocus('متى اعتمدت التوصية؟')).toBe('when');
    expect(questionFocus('How many countries signed?')).toBe('how-many');
    expect(questionFocus('What is X-Road?')).toBe('other');
  });

  it('splits sentences without breaking abbreviations or decimals', () => {
    expect(splitSentences('About 2.6 billion people were offline, e.g. in rural areas. Art. 8 applies. Next one!')).toEqual([
      'About 2.6 billion people were offline, e.g. in rural areas.',
      'Art. 8 applies.',
      'Next one!',
    ]);
  });

  it('matches eval expectations case-, accent- and digit-insensitively', () => {
    expect(meetsExpectations('Adoptée en ٢٠٢١ par 193 États', [['2021'], ['193']])).toBe(true);
    expect(meetsExpectations('DATA MINIMISATION and purpose limitation', [['data minimization', 'data minimisation'], ['purpose limitation']])).toBe(true);
    expect(meetsExpectations('purpose limitation', [['purpose limitation'], ['storage limitation']])).toBe(false);
  });
});
