import type { Chunk, RetrievedPassage } from '../../src/ports/retrieval';
import { extractiveAnswer, type TermGroup } from '../../src/core/qa/extractive-answerer';
import { analyze, asksHowTo, givesAdvice } from '../../src/core/qa/text-analysis';
import { assessCoverage, coverageConfidence } from '../../src/core/qa/coverage';
import { Glossary } from '../../src/core/qa/glossary';

const passage = (id: string, title: string, text: string, rank: number, kind: Chunk['kind'] = 'step'): RetrievedPassage => ({
  chunk: { id: `en:${id}`, lang: 'en', kind, moduleId: 'm1', moduleTitle: 'Rights', lessonId: 'm1-l7', lessonTitle: 'Beyond Europe', stepId: id, title, text, source: 'en/m1/l7.md' },
  score: 1 / rank,
  rank,
});

const idf = () => 2;

describe('composed answers', () => {
  const india = passage(
    'm1-l7-s2',
    'India: privacy as a fundamental right (2017)',
    'In Justice K.S. Puttaswamy v Union of India, nine judges of the Supreme Court recognised privacy as a fundamental right. The judgment says that a limit on privacy must rest on a law.',
    1,
  );

  it('keeps a name with initials in one sentence and leads with the step title when it holds the year', () => {
    const a = extractiveAnswer({ question: 'Which court ruling made privacy a fundamental right in India?', lang: 'en', passages: [india], idf });
    expect(a.text).toContain('India: privacy as a fundamental right (2017) — In Justice K.S. Puttaswamy v Union of India');
    expect(a.text).toMatch(/\[1\]$/);
    expect(a.cited.map((p) => p.chunk.id)).toEqual(['en:m1-l7-s2']);
  });

  it('does not repeat a title whose year the sentences already state, nor quote a quiz prompt as a title', () => {
    const dated = passage('m1-l7-s3', 'Kenya: the Huduma Namba ruling (2021)', 'In October 2021 the High Court of Kenya ruled that Huduma Namba needed an impact assessment first.', 1);
    const quiz = passage(
      'm1-l7-q1',
      'In which year did India recognise privacy as a fundamental right?',
      'India recognised privacy as a fundamental right in a unanimous judgment of nine judges.',
      2,
      'quiz',
    );
    const kenya = extractiveAnswer({ question: 'When did the Kenyan court rule on Huduma Namba?', lang: 'en', passages: [dated], idf });
    expect(kenya.text.startsWith('In October 2021 the High Court')).toBe(true);
    const fromQuiz = extractiveAnswer({ question: 'Did India recognise privacy as a fundamental right?', lang: 'en', passages: [quiz], idf });
    expect(fromQuiz.text).not.toContain('In which year');
  });
});

describe('how-to questions', () => {
  it('are told from other questions in the five languages', () => {
    for (const q of [
      'what should i ask the supplier for before we sign?',
      'how do I check a dataset before training?',
      '¿qué tengo que exigirle a un proveedor?',
      'comment vérifier que notre site est accessible ?',
      'o que devo exigir do fornecedor?',
      'كيف أتأكد من جودة البيانات؟',
    ])
      expect(asksHowTo(q)).toBe(true);
    for (const q of ['what is automation bias?', '¿qué es el sesgo de automatización?', 'quand a été adopté le règlement ?', 'ما هو التحيز؟']) expect(asksHowTo(q)).toBe(false);
  });

  it('are answered first with the sentence that says what to do, not the one that says what the thing is', () => {
    const contract = passage(
      'm5-l10-s2',
      'The contract',
      'A supplier contract for an AI system is a long document with many annexes. Before signing the contract, the buyer should require audit rights and full documentation from the supplier.',
      1,
    );
    const howTo = extractiveAnswer({ question: 'What should I ask for in a supplier contract?', lang: 'en', passages: [contract], idf, maxWords: 20 });
    expect(howTo.text).toContain('should require audit rights');
    expect(howTo.text).not.toContain('long document');
    // Asked what the thing is, the same passage answers with what it is.
    const what = extractiveAnswer({ question: 'What is a supplier contract for an AI system?', lang: 'en', passages: [contract], idf, maxWords: 20 });
    expect(what.text).toContain('long document');
    expect(givesAdvice('Vérifiez les critères WCAG avant la mise en ligne.')).toBe(true);
    expect(givesAdvice('يجب إجراء تقييم الأثر قبل التشغيل.')).toBe(true);
    expect(givesAdvice('The contract is a long document.')).toBe(false);
  });
});

describe('choosing sentences across passages', () => {
  const words = (text: string) => [...new Set(analyze(text, 'en'))];
  const group = (text: string, weight = 2, said?: string): TermGroup => ({ terms: words(text), weight, ...(said ? { said: words(said) } : {}) });

  it("quotes the sentence that says the question's own words where a glossary term stands for them", () => {
    const payments = passage('m4-l4-s1', 'Shared systems', 'The ruling on digital payments was widely reported.', 1);
    const identity = passage('m3-l7-s4', 'A court case', 'The digital identity scheme was stopped by the court.', 2);
    // "digital identity" found the glossary's "digital public infrastructure": the decision weighs the course's term.
    const termGroups = [group('ruling', 1), group('digital public infrastructure', 2, 'digital identity')];
    const a = extractiveAnswer({ question: 'Which ruling was about digital identity?', lang: 'en', passages: [payments, identity], idf, termGroups });
    expect(a.text.startsWith('The digital identity scheme was stopped by the court.')).toBe(true);
    expect(a.cited[0].chunk.id).toBe('en:m3-l7-s4');
    const withoutOwnWords = extractiveAnswer({
      question: 'Which ruling was about digital identity?',
      lang: 'en',
      passages: [payments, identity],
      idf,
      termGroups: termGroups.map(({ said: _, ...g }) => g),
    });
    expect(withoutOwnWords.text.startsWith('The ruling on digital payments')).toBe(true);
  });

  it('keeps the sentences between two good ones of the first passage, in the lesson’s order', () => {
    const steps = passage(
      'm4-l5-s4',
      'Before you send it',
      'Test a plain-language letter with real readers before sending it. Ask five or six people to say in their own words what they must do. Offer large print and audio on request. Readers who hesitate show where the letter must be rewritten.',
      1,
    );
    const a = extractiveAnswer({ question: 'How do I test a letter with readers?', lang: 'en', passages: [steps], idf });
    expect(a.text).toBe(`${steps.chunk.text} [1]`);
  });

  it('reads on in the first passage rather than quoting other passages that restate its first sentence', () => {
    const togo = passage(
      'm1-l8-s1',
      'Togo: Novissi (2020)',
      'During the COVID-19 pandemic, the Government of Togo created Novissi, a cash transfer programme paid by mobile phone. Late in 2020 it was extended to the poorest rural areas. Satellite images helped to find the poorest areas, and mobile phone data the poorest subscribers.',
      1,
    );
    const again = passage('m3-l8-s1', 'What Novissi was', 'Novissi is a cash transfer programme that the government of Togo launched in April 2020 during the pandemic.', 2);
    const a = extractiveAnswer({ question: 'What did Togo do with the Novissi programme during the pandemic?', lang: 'en', passages: [togo, again], idf, maxWords: 50 });
    expect(a.text).toContain('Satellite images helped to find the poorest areas');
    expect(a.cited.map((p) => p.chunk.id)).toEqual(['en:m1-l8-s1']);
  });

  it('prefers a sentence that states a fact to one that says what the lesson covers, unless the question is about the lesson', () => {
    const overview = passage('m3-l7-s1', 'A global right', 'This lesson looks at the Kenyan ruling on digital identity and the Brazilian law of 2018.', 1);
    const ruling = passage('m3-l7-s4', 'The Huduma Namba case', 'In October 2021 the Kenyan High Court ruled the digital identity rollout unlawful.', 2);
    const when = extractiveAnswer({ question: 'When was the Kenyan ruling on digital identity?', lang: 'en', passages: [overview, ruling], idf });
    expect(when.text.startsWith('In October 2021 the Kenyan High Court')).toBe(true);
    const lesson = extractiveAnswer({ question: 'Which lesson looks at the Kenyan ruling on digital identity?', lang: 'en', passages: [overview, ruling], idf });
    expect(lesson.text.startsWith('This lesson looks at')).toBe(true);
  });

  it('answers a "when" question with a dated sentence even when the best one has no date and the answer is short', () => {
    const scheme = passage(
      'm3-l7-s4',
      'Kenya',
      'The Huduma Namba ruling on the digital identity scheme required an impact assessment before any further rollout. Huduma Namba gave every resident a number and a card linked to one central population database.',
      1,
    );
    const dated = passage('m1-l7-s1', 'Beyond Europe', 'Huduma Namba was the national identity scheme. In 2021 the court ruled against it.', 2);
    const termGroups = [group('Huduma', 1), group('Namba', 1), group('ruling', 3)];
    const a = extractiveAnswer({ question: 'When was the Huduma Namba ruling?', lang: 'en', passages: [scheme, dated], idf, termGroups, maxWords: 34 });
    expect(a.text).toBe('The Huduma Namba ruling on the digital identity scheme required an impact assessment before any further rollout. [1] In 2021 the court ruled against it. [2]');
    expect(a.cited.map((p) => p.chunk.id)).toEqual(['en:m3-l7-s4', 'en:m1-l7-s1']);
  });
});

describe('the not-covered evidence', () => {
  const aiAct = passage('m5-l1-s1', 'The EU AI Act', 'The EU AI Act sets rules for AI systems by risk. Providers must keep data and documentation.', 1);
  const judge = (question: string) => assessCoverage({ question, lang: 'en', passages: [aiAct], idf, knows: () => true, nearestTerm: () => undefined });

  it('counts a name the course never says as one phrase against the question, though it knows each word', () => {
    expect(judge('What does the EU Data Act require?').unknownPhrase).toBe(1);
    expect(judge('What does the EU AI Act require?').unknownPhrase).toBe(0);
  });

  it('reads a capitalised word one edit from a course word as a typo only when the course writes that word as a name', () => {
    const village = passage('m4-l1-s1', 'Rural services', 'A village library offers assisted digital help. Estonia links its registers.', 1);
    const ask = (question: string) =>
      assessCoverage({
        question,
        lang: 'en',
        passages: [village],
        idf,
        knows: (t) => ['villag', 'estonia', 'report', 'recommend', 'link', 'regist'].includes(t),
        nearestTerm: (t) => ({ villani: 'villag', estnia: 'estonia' })[t],
        isCourseName: (t) => t === 'estonia',
      });
    // "Villani" is a report's author the course never mentions, not a misspelt "village".
    expect(ask('What did the report by Villani recommend?').unknownNames).toBeGreaterThan(0);
    expect(ask('How does Estnia link its registers?').unknownNames).toBe(0);
  });

  it("reads a long misspelt word one edit from a glossary spelling as that term, though its stem is far from the course's", () => {
    const wcag = passage('m4-l2-s1', 'Accessibility standards', 'WCAG 2.2 sets the accessibility guidelines for public websites.', 1);
    const glossary = new Glossary([{ id: 'accessibility', lang: 'en', term: 'accessibility', definition: 'Usable by everyone.', synonyms: [], variants: ['a11y'], lessons: [] }]);
    const known = new Set(analyze('WCAG 2.2 sets the accessibility guidelines for public websites', 'en'));
    const ask = (question: string) => assessCoverage({ question, lang: 'en', passages: [wcag], idf, knows: (t) => known.has(t), nearestTerm: () => undefined, glossary, glossaryLangs: ['en'] });
    const typed = ask('which accessibilty guidelines do public websites set?');
    expect(typed.oov).toBe(0);
    expect(typed.coverage).toBeGreaterThan(0.9);
    // A short word is too often another real word to be read as a misspelling.
    expect(ask('which acess guidelines do public websites set?').oov).toBeGreaterThan(0);
  });

  it('declines a general-knowledge question that shares a word with a lesson', () => {
    const capital = judge('What is the capital of the EU?');
    expect(capital.offDomain).toBe(1);
    expect(coverageConfidence(capital)).toBeLessThan(coverageConfidence({ ...capital, offDomain: 0 }));
  });
});
