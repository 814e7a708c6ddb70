import type { Language } from '../../config/config-schema';
import type { RetrievedPassage } from '../../ports/retrieval';
import { splitSentences, wordCount } from './sentences';
import { passageProse } from './explanation';
import { westernDigits } from '../text-normalize';
import { analyze, isQuestionFraming, questionFocus } from './text-analysis';

/**
 * Confidence = the IDF-weighted share of the question's content terms that the best of the
 * top 3 passages contains (terms the corpus never uses weigh the most, so "how do I bake bread"
 * scores near 0 while "what is X-Road" scores 1). Below the threshold the bot says the course
 * does not cover the question and lists the closest lessons instead of guessing.
 *
 * Tuning, on our own questions and not on the eval file (bench/qa-confidence.ts): 39 on-topic
 * questions paraphrasing steps of every module (35 English, 4 Spanish) and 20 off-topic ones
 * (cooking, sport, travel, coding, general knowledge, several sharing a course word such as
 * "world", "data" or "capital", one injection attempt). On-topic: min 0.38, median 1.00, all
 * but one >= 0.55; off-topic: median 0.19, max 0.47. 0.5 sits in that gap; 1 of 59 misclassified
 * (a question with an unusual word: "What was the COMPAS controversy about?").
 * When the learner's language has no content the question is matched against English: only
 * terms the English course knows count then (names, acronyms, numbers, cognates).
 */
export const CONFIDENCE_THRESHOLD = 0.5;

/** At most about this many words in an extractive answer (one chat message). */
export const MAX_ANSWER_WORDS = 120;

/**
 * Module overviews say what a module will teach ("you will learn the four risk tiers"), not the
 * facts themselves: their sentences must beat a lesson's by a clear margin to be quoted. Answers
 * read best from lesson sentences, so a quiz explanation needs a small margin too.
 */
const KIND_WEIGHT: Partial<Record<RetrievedPassage['chunk']['kind'], number>> = { module: 0.6, quiz: 0.85 };

/** Counts written as words, for "how many" questions. Arabic words are matched inside words (they take prefixes). */
const NUMBER_WORDS =
  /(?<!\p{L})(one|two|three|four|five|six|seven|eight|nine|ten|twelve|hundred|thousand|million|billion|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cien|mil|millones|deux|trois|quatre|cinq|sept|huit|neuf|dix|cent|mille|millions|milliards|dois|duas|três|quatro|sete|oito|nove|dez|cem|milhões|mil milhões)(?!\p{L})|ثلاث|أربع|خمس|ست|سبع|ثمان|تسع|عشر|مئة|مائة|ألف|مليون|مليار/iu;

/** Passages considered for sentences: the rest are too far down to be worth quoting. */
const SENTENCE_POOL = 5;

export interface ExtractiveInput {
  question: string;
  lang: Language;
  passages: RetrievedPassage[];
  /** IDF of an analysed term in the passages' language. */
  idf: (term: string) => number;
  maxWords?: number;
  /** The question's terms and weights as the not-covered decision saw them; else the question's own terms by IDF. */
  termWeights?: Map<string, number>;
}

export interface ExtractiveResult {
  confident: boolean;
  confidence: number;
  /** Sentences with [n] markers; n is the 1-based position in `cited`. */
  text: string;
  cited: RetrievedPassage[];
}

interface Candidate {
  passage: number;
  index: number;
  text: string;
  score: number;
  words: number;
}

export function retrievalConfidence(question: string, lang: Language, passages: RetrievedPassage[], idf: (term: string) => number, known?: (term: string) => boolean): number {
  const all = [...new Set(analyze(question, lang))].filter((t) => !known || known(t));
  const topical = all.filter((t) => !isQuestionFraming(t, lang));
  const terms = topical.length ? topical : all;
  if (!terms.length || !passages.length) return 0;
  const weight = (t: string) => Math.max(idf(t), 0.05);
  const total = terms.reduce((s, t) => s + weight(t), 0);
  let best = 0;
  for (const p of passages.slice(0, 3)) {
    const have = new Set(analyze(`${p.chunk.title} ${p.chunk.text} ${p.chunk.lessonTitle ?? ''}`, lang));
    best = Math.max(best, terms.filter((t) => have.has(t)).reduce((s, t) => s + weight(t), 0) / total);
  }
  return best;
}

/**
 * A step's title leads its sentences when it holds what they leave out: a year ("India:
 * privacy as a fundamental right (2017)"), or one of the question's main words ("Robodebt" where
 * the sentence says "the scheme"). Titles that are questions or quiz prompts are never quoted.
 */
function withHeading(chunk: RetrievedPassage['chunk'], text: string, lang: Language, weight: Map<string, number>): string {
  const title = chunk.title.trim();
  if (chunk.kind !== 'step' || !title || /[?؟]$/.test(title)) return text;
  const said = westernDigits(text);
  const missingYear = (westernDigits(title).match(/\b(?:1[89]|20)\d\d\b/g) ?? []).some((year) => !said.includes(year));
  const have = new Set(analyze(text, lang));
  const main = Math.max(0, ...weight.values()) / 2;
  const missingTerm = analyze(title, lang).some((t) => (weight.get(t) ?? 0) >= main && main > 0 && !have.has(t));
  return missingYear || missingTerm ? `${title} — ${text}` : text;
}

export function extractiveAnswer(input: ExtractiveInput): ExtractiveResult {
  const { question, lang, passages, idf } = input;
  const maxWords = input.maxWords ?? MAX_ANSWER_WORDS;
  const confidence = retrievalConfidence(question, lang, passages, idf);
  const weight = input.termWeights?.size ? input.termWeights : new Map([...new Set(analyze(question, lang))].map((t) => [t, Math.max(idf(t), 0.05)]));
  const terms = [...weight.keys()];
  const focus = questionFocus(question);

  const pool = passages.slice(0, SENTENCE_POOL);
  // A quiz passage is quoted from its explanation only, never from its options (see chunking.ts).
  const sentencesOf = pool.map((p) => splitSentences(passageProse(p.chunk)));
  const candidates: Candidate[] = [];
  pool.forEach((p, pi) => {
    // Earlier passages are more likely to be on topic: a gentle decay keeps a perfect sentence in passage 3 competitive.
    const decay = (1 / (1 + 0.2 * pi)) * (KIND_WEIGHT[p.chunk.kind] ?? 1);
    // A sentence inherits part of its passage's headings (the step "Robodebt in Australia" is about Robodebt even
    // where a sentence says "the scheme"), and is weighed by how much of the question its whole passage covers.
    const heading = new Set(analyze(`${p.chunk.title} ${p.chunk.lessonTitle ?? ''}`, lang));
    const whole = new Set([...heading, ...analyze(p.chunk.text, lang)]);
    const totalWeight = terms.reduce((sum, t) => sum + weight.get(t)!, 0) || 1;
    const coverage = terms.filter((t) => whole.has(t)).reduce((sum, t) => sum + weight.get(t)!, 0) / totalWeight;
    // A step whose own title carries the question's words ("The four risk tiers") is the one about it.
    const own = new Set(analyze(p.chunk.title, lang));
    const titleBoost = 1 + terms.filter((t) => own.has(t)).reduce((sum, t) => sum + weight.get(t)!, 0) / totalWeight;
    sentencesOf[pi].forEach((text, index) => {
      // A question is never an answer, and a short line without a full stop is a heading or a list of options.
      if (/[?؟]$/.test(text) || (!/[.!؟。:;)"”»]$/.test(text) && wordCount(text) < 8)) return;
      const seq = analyze(text, lang);
      const present = new Set(seq);
      let score = 0;
      for (const t of terms)
        if (present.has(t)) score += weight.get(t)!;
        else if (heading.has(t)) score += 0.5 * weight.get(t)!;
      // Query terms that stay together ("data minimisation", "automation bias") count extra.
      for (let i = 1; i < seq.length; i++) if (weight.has(seq[i - 1]) && weight.has(seq[i]) && seq[i - 1] !== seq[i]) score += 0.25 * weight.get(seq[i])!;
      if (focus === 'when' && /\b(1[89]|20)\d\d\b/.test(westernDigits(text))) score *= 1.5;
      if (focus === 'how-many' && (/\d/.test(westernDigits(text)) || NUMBER_WORDS.test(text))) score *= 1.4;
      candidates.push({ passage: pi, index, text, score: score * decay * coverage * titleBoost, words: wordCount(text) });
    });
  });
  const ranked = candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  if (!ranked.length) return { confident: false, confidence, text: '', cited: [] };

  const chosen: Candidate[] = [];
  let words = 0;
  const termsOf = new Map<Candidate, Set<string>>();
  const termSet = (c: Candidate) => termsOf.get(c) ?? termsOf.set(c, new Set(analyze(c.text, lang))).get(c)!;
  // A sentence that mostly repeats one already chosen (the same definition in a quiz explanation) adds nothing.
  const redundant = (c: Candidate) =>
    chosen.some((o) => {
      const a = termSet(c);
      const b = termSet(o);
      const shared = [...a].filter((t) => b.has(t)).length;
      return a.size > 0 && shared / a.size >= 0.7;
    });
  const take = (c: Candidate | undefined) => {
    if (!c || chosen.includes(c) || words + c.words > maxWords || redundant(c)) return;
    chosen.push(c);
    words += c.words;
  };
  const best = ranked[0];
  take(best);
  // The neighbouring sentence usually carries the rest of the fact (a list, a date, a consequence).
  const siblings = candidates.filter((c) => c.passage === best.passage);
  take(siblings.find((c) => c.index === best.index + 1) ?? siblings.find((c) => c.index === best.index - 1));
  for (const c of ranked.slice(1)) {
    if (c.score < best.score * 0.5) break;
    take(c);
  }
  if (words < 25) take(siblings.find((c) => c.index === best.index - 1));

  // Output grouped by passage, the passage of the best sentence first, sentences in their original order, one citation per passage.
  const usedPassages = [...new Set(chosen.map((c) => c.passage))];
  const parts = usedPassages.map((pi, n) => {
    const text = chosen
      .filter((c) => c.passage === pi)
      .sort((a, b) => a.index - b.index)
      .map((c) => c.text)
      .join(' ');
    return `${withHeading(pool[pi].chunk, text, lang, weight)} [${n + 1}]`;
  });
  return { confident: confidence >= CONFIDENCE_THRESHOLD, confidence, text: parts.join(' '), cited: usedPassages.map((pi) => pool[pi]) };
}
