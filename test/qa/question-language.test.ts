import { detectQuestionLanguage } from '../../src/core/qa/question-language';

describe('question language detection', () => {
  it.each([
    ['What did the court decide about the SyRI system?', 'en'],
    ['When do the prohibitions in the EU AI Act start to apply?', 'en'],
    ['¿Cuándo se aprobó la Recomendación de la UNESCO sobre la ética de la IA?', 'es'],
    ['¿Qué es el sesgo de automatización?', 'es'],
    ["Quand le règlement européen sur l'intelligence artificielle est-il entré en vigueur ?", 'fr'],
    ['Quels sont les quatre principes POUR ?', 'fr'],
    ['O que decidiu o tribunal sobre o sistema SyRI?', 'pt'],
    ['Quando o RGPD começou a ser aplicado?', 'pt'],
    ['متى اعتمدت الدول الأعضاء في اليونسكو التوصية الخاصة بأخلاقيات الذكاء الاصطناعي؟', 'ar'],
    ['ما هو نظام X-Road في إستونيا؟', 'ar'],
  ])('recognises %s as %s', (question, lang) => {
    expect(detectQuestionLanguage(question)).toBe(lang);
  });

  it.each(['GDPR?', 'X-Road', 'Robodebt 2016', 'WCAG 2.2 AA'])('leaves a question without clear language words alone: %s', (question) => {
    expect(detectQuestionLanguage(question)).toBeUndefined();
  });

  // What each course's vocabulary holds, for short keyword questions without function words.
  const vocabulary: Record<string, string[]> = {
    es: ['falso', 'positivo', 'principios', 'gobernanza', 'datos', 'indígenas', 'de'],
    pt: ['falso', 'positivo', 'princípios', 'governança', 'dados', 'indígenas', 'de'],
    fr: ['faux', 'positif'],
  };
  const knows = (word: string, lang: string) => (vocabulary[lang] ?? []).includes(word.toLowerCase());

  it('reads a short keyword question in the language whose course knows its words', () => {
    expect(detectQuestionLanguage('principios de gobernanza de datos indígenas?', 'en', knows)).toBe('es');
    expect(detectQuestionLanguage('princípios de governança de dados indígenas?', 'en', knows)).toBe('pt');
  });

  it('keeps the learner language when its course knows the words as well', () => {
    expect(detectQuestionLanguage('falso positivo?', 'es', knows)).toBeUndefined();
    expect(detectQuestionLanguage('falso positivo?', 'pt', knows)).toBeUndefined();
  });

  it('weighs the same question by each learner’s own language, however often it is asked', () => {
    // The identifier's votes are kept per question; the learner's language still decides between close votes.
    const byLearner = () => (['es', 'en', 'fr', 'pt'] as const).map((prior) => detectQuestionLanguage('adopción de la ley', prior));
    expect(byLearner()).toEqual(['es', undefined, undefined, undefined]);
    expect(byLearner()).toEqual(['es', undefined, undefined, undefined]);
  });
});
