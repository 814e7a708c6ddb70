import type { Chunk, RetrievedPassage } from '../../src/ports/retrieval';
import { extractiveAnswer } from '../../src/core/qa/extractive-answerer';
import { assessCoverage, coverageConfidence } from '../../src/core/qa/coverage';

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

  it('declines a general-knowledge question that shares a word with a lesson', () => {
    const capital = judge('What is the capital of the EU?');
    expect(capital.offDomain).toBe(1);
    expect(coverageConfidence(capital)).toBeLessThan(coverageConfidence({ ...capital, offDomain: 0 }));
  });
});
