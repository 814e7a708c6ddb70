import { isFollowUp } from '../../src/core/qa/follow-up';
import { detectQuestionLanguage } from '../../src/core/qa/question-language';

describe('follow-up questions', () => {
  it.each([
    'and a false negative?',
    'when was it adopted?',
    '¿y desde qué año funciona?',
    '¿Y cuánta gente ya está conectada?',
    'et pour les systèmes autonomes ?',
    "et pour les systèmes d'IA déjà en service, c'est quand alors ?",
    'elle a été adoptée quand ?',
    'e por que a justiça considerou ilegal?',
    'ومتى صدرت طبعته الثانية؟',
    'what about medical devices?',
  ])('"%s" continues the previous question', (q) => {
    expect(isFollowUp(q)).toBe(true);
  });

  it.each([
    'What is automation bias?',
    '¿Qué es el RGPD?',
    'O que é o RGPD?',
    'Quels sont les principes FAIR ?',
    'ما هو تحيز الأتمتة؟',
    'And now a long question that stands on its own about the EU AI Act risk tiers?',
  ])('"%s" stands on its own', (q) => {
    expect(isFollowUp(q)).toBe(false);
  });
});

describe('question language with the learner language as prior', () => {
  it.each([
    ['elle a été adoptée quand ?', 'fr'],
    ['les principes FAIR datent de quelle année ?', 'fr'],
    ['Quando foi adotada a recomendação?', 'pt'],
  ])('"%s" from an English-locale learner is %s', (q, lang) => {
    expect(detectQuestionLanguage(q, 'en')).toBe(lang);
  });

  it('keeps the learner language when the identifier hesitates', () => {
    expect(detectQuestionLanguage('AI Playbook britannique ?', 'en')).toBeUndefined();
    expect(detectQuestionLanguage('Transparency register?', 'fr')).not.toBe('en');
  });
});
