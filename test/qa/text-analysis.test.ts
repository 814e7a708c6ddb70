import { analyze, foldText, isStopWordTypo, questionFocus } from '../../src/core/qa/text-analysis';
import { offDomainShape } from '../../src/core/qa/off-domain';
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

  it('gives an Arabic word one term with or without the article, an attached conjunction or the feminine plural', () => {
    expect(analyze('المستقلة', 'ar')).toEqual(analyze('مستقلة', 'ar'));
    expect(analyze('والأنظمة للأنظمة', 'ar')).toEqual(analyze('أنظمة أنظمة', 'ar'));
    expect(analyze('قرارات', 'ar')).toEqual(analyze('القرارات', 'ar'));
    expect(analyze('الوزارة', 'ar')).toEqual(analyze('وزارة', 'ar'));
    expect(analyze('وما الموعد الجديد؟', 'ar')).toEqual(analyze('ما الموعد الجديد؟', 'ar'));
    expect(analyze('المراقبه الحكومى', 'ar')).toEqual(analyze('المراقبة الحكومي', 'ar'));
  });

  it('lets a French third-person plural meet the other forms of its verb, and every word still meet its own forms', () => {
    const shares = (a: string, b: string) => analyze(a, 'fr').some((t) => analyze(b, 'fr').includes(t));
    expect(shares('publient', 'publiez-la')).toBe(true);
    expect(shares('ils utilisent', 'utiliser')).toBe(true);
    expect(shares('les agents rédigent', 'rédigez')).toBe(true);
    expect(shares('incident', 'incidents')).toBe(true);
    expect(shares('transparent', 'transparence')).toBe(true);
    expect(shares('publient', 'publient')).toBe(true);
    // "agent" is no verb: a two-letter "ag" would join it with unrelated words.
    expect(analyze('agent', 'fr')).toEqual(analyze('agents', 'fr'));
    expect(analyze('agent', 'fr')).toHaveLength(1);
  });

  it('finds an Arabic word behind an attached li ("for, to"), while words that begin with lam still meet themselves', () => {
    const shares = (a: string, b: string) => analyze(a, 'ar').some((t) => analyze(b, 'ar').includes(t));
    expect(shares('لأتمتة', 'الأتمتة')).toBe(true);
    expect(shares('لأتمتة', 'أتمتة')).toBe(true);
    expect(shares('لمساعدة', 'المساعدة')).toBe(true);
    expect(shares('لأول مرة', 'أول')).toBe(true);
    expect(shares('لائحة', 'اللائحة')).toBe(true);
    expect(shares('للائحة', 'لائحة')).toBe(true);
    expect(analyze('لجنة', 'ar')).toEqual(analyze('اللجنة', 'ar'));
    expect(analyze('لجنة', 'ar')).toHaveLength(1);
    // A function word is not split: "دينا" is no word of "لدينا" (we have).
    expect(analyze('لدينا', 'ar')).toEqual(analyze('لديهم', 'ar'));
    expect(analyze('لدينا', 'ar')).toHaveLength(1);
  });

  it('drops inflected stop words and prepositions as the other languages do', () => {
    expect(analyze('les mêmes infos', 'fr')).toEqual(analyze('la même information', 'fr'));
    expect(analyze('pendant le Covid', 'fr')).toEqual(analyze('le Covid', 'fr'));
    expect(analyze('los mismos datos', 'es')).toEqual(analyze('datos', 'es'));
    expect(analyze('as mesmas regras durante a pandemia', 'pt')).toEqual(analyze('regras pandemia', 'pt'));
    // "entré en vigueur" is not the preposition "entre" once accents are folded.
    expect(analyze('entré en vigueur', 'fr')).toHaveLength(2);
  });

  it('reads clipped words as the full words the course uses', () => {
    expect(analyze('les infos', 'fr')).toEqual(analyze('les informations', 'fr'));
    expect(analyze('usage stats', 'en')).toEqual(analyze('usage statistics', 'en'));
    expect(analyze('info', 'pt')).toEqual(analyze('informação', 'pt'));
  });

  it('keeps an acronym apart from the common word it spells, while its lower-case spelling still meets it', () => {
    const fairPrinciples = analyze('What does FAIR stand for?', 'en');
    expect(analyze('Is the scoring fair to everyone?', 'en').some((t) => fairPrinciples.includes(t) && t !== 'fair')).toBe(false);
    expect(fairPrinciples.filter((t) => t !== 'fair')).not.toEqual([]);
    expect(analyze('les principes FAIR', 'fr').filter((t) => !analyze('faire', 'fr').includes(t))).toContain(analyze('FAIR', 'en')[0]);
    expect(analyze('what is gdpr', 'en')).toEqual(expect.arrayContaining(analyze('under the gdpr', 'en')));
    expect(analyze('the GDPR', 'en')).toEqual(expect.arrayContaining(analyze('gdpr', 'en')));
  });

  it('reads the Spanish "EE. UU." as Estados Unidos', () => {
    expect(analyze('tribunales de EE. UU.', 'es')).toEqual(analyze('tribunales de Estados Unidos', 'es'));
  });

  it('recognises questions asking for a date or a count in every language', () => {
    expect(questionFocus('fallo de kenia sobre la identidad digital, ¿año?')).toBe('when');
    expect(questionFocus("décision kenyane sur l'identité numérique, année ?")).toBe('when');
    expect(questionFocus('حكم كينيا بشأن الهوية الرقمية، أي سنة؟')).toBe('when');
    expect(questionFocus('When was it adopted?')).toBe('when');
    expect(questionFocus('¿Cuándo se aprobó?')).toBe('when');
    expect(questionFocus('Quand est-il entré en vigueur ?')).toBe('when');
    expect(questionFocus('متى اعتمدت التوصية؟')).toBe('when');
    expect(questionFocus('How many countries signed?')).toBe('how-many');
    expect(questionFocus('What is X-Road?')).toBe('other');
  });

  it('tells general-knowledge questions from course questions that share their words', () => {
    for (const q of [
      '¿Cuál es la capital de Perú?',
      'Quelle est la population de Nantes ?',
      'Qual é a previsão do tempo para amanhã?',
      'ما هي عاصمة الأردن؟',
      'recipe for lentil soup?',
      'كم عدد سكان تونس؟',
      '¿qué tiempo va a hacer mañana en madrid?',
      'a impressora do meu setor nao imprime, como resolvo?',
      "comment je déclare mes frais réels sur ma déclaration d'impôts en ligne ?",
      'I forgot my password for the HR portal',
      'combien coûte une licence microsoft copilot pour un ministère ?',
      'كم سعر اشتراك ChatGPT Enterprise؟',
    ])
      expect(offDomainShape(q)).toBe(1);
    for (const q of [
      'Can the police use facial recognition at football matches?',
      'What share of the population is offline?',
      'Why is a model called a mathematical recipe?',
      'لماذا تخطئ النماذج مع المتصلين من خارج العاصمة؟',
      'Which tax returns did the tax authority let a model choose to audit?',
      'Why should online forms allow password managers?',
      'How much did Robodebt cost the government?',
      'What should an AI licence agreement with a supplier include?',
    ])
      expect(offDomainShape(q)).toBe(0);
  });

  it('splits sentences without breaking abbreviations, decimals or initials', () => {
    expect(splitSentences('On 24 August 2017, in Justice K.S. Puttaswamy v Union of India, the court ruled. It was unanimous.')).toEqual([
      'On 24 August 2017, in Justice K.S. Puttaswamy v Union of India, the court ruled.',
      'It was unanimous.',
    ]);
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

  it('recognises misspelt question words, but not course words one letter from a stop word', () => {
    expect(isStopWordTypo('waht', 'en')).toBe(true);
    expect(isStopWordTypo('shoud', 'en')).toBe(true);
    expect(isStopWordTypo('porqe', 'es')).toBe(true);
    expect(isStopWordTypo('data', 'en')).toBe(false);
    expect(isStopWordTypo('bias', 'en')).toBe(false);
    expect(isStopWordTypo('ai', 'en')).toBe(false);
  });

  it('recognises a misspelt question-framing word, but not an everyday word one letter from a short one', () => {
    expect(isStopWordTypo('apelle', 'fr')).toBe(true);
    expect(isStopWordTypo('exemle', 'fr')).toBe(true);
    expect(isStopWordTypo('actualy', 'en')).toBe(true);
    // "cake" is one letter from the framing word "make", "bear" from "year": off-topic words stay unknown.
    expect(isStopWordTypo('cake', 'en')).toBe(false);
    expect(isStopWordTypo('bear', 'en')).toBe(false);
  });
});
