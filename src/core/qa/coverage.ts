import type { Language } from '../../config/config-schema';
import type { RetrievedPassage } from '../../ports/retrieval';
import { editDistance } from '../text-normalize';
import type { Glossary } from './glossary';
import { analyze, analyzeWordTerms, isQuestionFraming, wordTokens } from './text-analysis';

/**
 * The evidence behind the "not covered" decision, from the question and the passages retrieved
 * for it. The old gate counted only lexical coverage, and words the course never uses weighed
 * the most, so one everyday word ("ban" where the course says "prohibited") or one typo sank a
 * covered question. Here:
 * - a typo counts as the course word it is closest to (one or two edits, see nearestTerm);
 * - a glossary synonym or variant ("cutoff", "chatgpt") counts as the course's term;
 * - an unknown everyday word weighs little (OOV_WEIGHT), but an unknown name, acronym or number
 *   ("Bletchley", "CONPES 3975") weighs as much as the rarest course word: a question about a
 *   named thing the course never mentions is not covered, however ordinary its other words;
 * - the lexical and vector retrievers agreeing on the top passage, and the vector similarity,
 *   add to the confidence (retrieverAgreement, bestSimilarity).
 */
export interface CoverageEvidence {
  /** IDF-weighted share of the question's topical terms found in the best of the top 3 passages. */
  coverage: number;
  /** Share of the question's weight carried by names, acronyms or numbers the course does not know. */
  unknownNames: number;
  /** 1 when both retrievers rank the same passage (or lesson) first, 0.5 when they share the top 3, else 0. */
  agreement: number;
  /** Highest vector similarity among the top 3 passages (0 without vector results). */
  similarity: number;
  /** Glossary entries the question mentions. */
  glossaryIds: string[];
}

export interface CoverageInput {
  question: string;
  /** Language of the passages (the question is analysed in it). */
  lang: Language;
  passages: RetrievedPassage[];
  idf: (term: string) => number;
  knows: (term: string) => boolean;
  nearestTerm: (term: string) => string | undefined;
  glossary?: Glossary;
  /** Languages whose glossary words to look for (the learner's and the question's). */
  glossaryLangs?: Language[];
  /**
   * Every unknown word weighs as a name: for a question matched against another language's
   * course (the English one when a translation lacks the lesson), where its own words are unknown.
   */
  strict?: boolean;
  /**
   * Unknown words are left out: for a learner whose language has no course at all, matched
   * against English, where only names, acronyms, numbers and cognates can meet.
   */
  knownOnly?: boolean;
}

/** Below this confidence the bot says the course does not cover the question (calibrated in bench/qa-confidence.ts). */
export const NOT_COVERED_THRESHOLD = 0.5;

/** Weight of an unknown everyday word: that of a word found in about one passage in ten. */
const OOV_WEIGHT = 2.5;
/** A typo corrected to a course word counts a little less than the word itself. */
const TYPO_CREDIT = 0.8;
/** A passage word that is the question's word with one edit (or a longer form of it) counts partly. */
const NEAR_CREDIT = 0.7;

interface Unit {
  /** Any of these terms in a passage covers the unit (a glossary term's words need half of them). */
  terms: string[];
  need: number;
  weight: number;
  unknownName: boolean;
}

export function assessCoverage(input: CoverageInput): CoverageEvidence {
  const { question, lang, passages, idf, knows, nearestTerm } = input;
  const top = passages.slice(0, 3);
  // The IDF of a term no passage contains: the weight of the rarest possible word.
  const maxIdf = Math.max(idf('\u0000'), 1);
  const matches = input.glossary?.matches(question, input.glossaryLangs ?? [lang]) ?? [];
  const explained = new Set(matches.flatMap((m) => m.covered));
  const units: Unit[] = [];
  const seen = new Set<string>();
  const words = wordTokens(question);
  words.forEach((word, i) => {
    for (const term of analyzeWordTerms(word, lang).slice(0, 1)) {
      if (seen.has(term) || explained.has(term) || isQuestionFraming(term, lang)) continue;
      seen.add(term);
      if (knows(term)) {
        units.push({ terms: [term], need: 1, weight: Math.max(idf(term), 0.05), unknownName: false });
        continue;
      }
      if (input.knownOnly) continue;
      const near = nearestTerm(term);
      if (near && !seen.has(near)) {
        seen.add(near);
        units.push({ terms: [near], need: 1, weight: Math.max(idf(near), 0.05) * TYPO_CREDIT, unknownName: false });
        continue;
      }
      const name = input.strict || looksLikeName(word, i === 0 || SENTENCE_END.has(precedingText(question, word, i).trimEnd().slice(-1)));
      units.push({ terms: [term], need: 1, weight: name ? maxIdf : lang === 'ar' ? maxIdf * 0.4 : OOV_WEIGHT, unknownName: name });
    }
  });
  for (const m of matches) {
    const entry = input.glossary!.entry(m.id, lang);
    const canonical = [...new Set(analyze(entry?.term ?? '', lang))].filter((t) => knows(t));
    if (!canonical.length) continue;
    units.push({ terms: canonical, need: Math.max(1, Math.ceil(canonical.length / 2)), weight: Math.max(...canonical.map((t) => idf(t))), unknownName: false });
  }
  const total = units.reduce((s, u) => s + u.weight, 0);
  const unknownNames = total ? units.filter((u) => u.unknownName).reduce((s, u) => s + u.weight, 0) / total : 0;
  let coverage = 0;
  if (total) {
    for (const p of top) {
      const have = new Set(analyze(`${p.chunk.title} ${p.chunk.text} ${p.chunk.lessonTitle ?? ''}`, lang));
      let got = 0;
      for (const u of units) {
        const exact = u.terms.filter((t) => have.has(t)).length;
        if (exact >= u.need) got += u.weight;
        else if (u.need === 1 && !u.unknownName && u.terms.some((t) => nearIn(t, have))) got += u.weight * NEAR_CREDIT;
      }
      coverage = Math.max(coverage, got / total);
    }
  }
  return { coverage, unknownNames, agreement: agreementOf(passages), similarity: Math.max(0, ...top.map((p) => p.vectorSimilarity ?? 0)), glossaryIds: matches.map((m) => m.id) };
}

/**
 * The confidence that the course covers the question, from 0 to 1. Coverage decides; agreement
 * of the two retrievers and a close vector match add a little, so that a paraphrase with few
 * shared words but the same passage on top of both lists still counts.
 */
export function coverageConfidence(e: CoverageEvidence): number {
  const bonus = 0.1 * e.agreement + 0.15 * Math.max(0, e.similarity - 0.25);
  return Math.min(1, e.coverage + bonus);
}

function agreementOf(passages: RetrievedPassage[]): number {
  const lexicalFirst = passages.find((p) => p.lexicalRank === 1);
  const vectorFirst = passages.find((p) => p.vectorRank === 1);
  if (!lexicalFirst || !vectorFirst) return 0;
  if (lexicalFirst === vectorFirst || (lexicalFirst.chunk.lessonId && lexicalFirst.chunk.lessonId === vectorFirst.chunk.lessonId)) return 1;
  return passages.slice(0, 3).some((p) => (p.lexicalRank ?? 99) <= 3 && (p.vectorRank ?? 99) <= 3) ? 0.5 : 0;
}

function nearIn(term: string, have: Set<string>): boolean {
  if (term.length < 5) return false;
  for (const t of have) {
    if (t.length >= 5 && (t.startsWith(term) || term.startsWith(t))) return true;
    if (term.length >= 6 && Math.abs(t.length - term.length) <= 1 && editDistance(term, t, 1) <= 1) return true;
  }
  return false;
}

const SENTENCE_END = new Set(['.', '?', '!', '¿', '¡', ':', '"', '“', '«', '(']);

/** A capitalised word inside a sentence, an acronym or a number: the name of something. */
function looksLikeName(word: string, sentenceStart: boolean): boolean {
  if (/\d/.test(word)) return true;
  if (word.length >= 2 && word === word.toUpperCase() && word !== word.toLowerCase()) return true;
  return !sentenceStart && /^\p{Lu}/u.test(word);
}

/** The text before the i-th word token, to tell whether it starts a sentence. */
function precedingText(question: string, word: string, i: number): string {
  let from = 0;
  const tokens = wordTokens(question);
  for (let k = 0; k < i; k++) from = question.indexOf(tokens[k], from) + tokens[k].length;
  return question.slice(0, question.indexOf(word, from));
}
