import type { Language } from '../../config/config-schema';
import type { RetrievedPassage } from '../../ports/retrieval';
import { splitSentences, wordCount } from './sentences';
import { passageProse } from './explanation';
import { westernDigits } from '../text-normalize';
import { analyze, asksHowTo, givesAdvice, isQuestionFraming, questionFocus } from './text-analysis';
import { passageTerms } from './coverage';

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

const YEAR = /\b(?:1[89]|20)\d\d\b/;

/**
 * A sentence that says what a lesson or module covers ("This lesson looks at three examples…",
 * "Cette leçon présente…", "ويتناول هذا الدرس…") names the question's words without stating the
 * facts, like a module overview (KIND_WEIGHT): it must beat a sentence that states them by as much.
 */
const SIGNPOST =
  /^(?:in )?this (?:lesson|module)\b|^(?:dans )?(?:cette leçon|ce module)\b|^(?:en )?(?:esta lección|este módulo)\b|^(?:neste|nesta|este|esta) (?:módulo|lição)\b|^\S*\s?(?:في )?(?:هذا الدرس|هذه الوحدة)/iu;
const SIGNPOST_WEIGHT = 0.6;
/**
 * A sentence that says what to do counts this much more for a how-to question: on our own how-to
 * questions (bench/qa-dev-people.jsonl) 1.3 answered one more and lost none elsewhere; 1.6 lost one.
 */
const ADVICE_BOOST = 1.3;
/** At most this many weaker sentences are quoted to join two good ones of a passage; further apart, they are two answers. */
const MAX_GAP = 2;
/** Sentences read on after the best one when it is in the passage ranked first (elsewhere, one). */
const FIRST_PASSAGE_READ_ON = 2;
/** Words with which a question asks about the course's own parts. */
const ABOUT_THE_COURSE = /\b(?:lessons?|modules?|leçons?|lecci[oó]n|lecciones|m[oó]dulos?|li[cç][aã]o|li[cç][oõ]es)\b|الدرس|الوحدة|دروس|وحدات/iu;

export interface ExtractiveInput {
  question: string;
  lang: Language;
  passages: RetrievedPassage[];
  /** IDF of an analysed term in the passages' language. */
  idf: (term: string) => number;
  maxWords?: number;
  /** The question's words as the not-covered decision weighed them (see TermGroup); else each of its own terms by IDF. */
  termGroups?: TermGroup[];
}

/**
 * One word of the question (the course word for a typo), or one glossary term with the
 * question's own words it stands for (`said`: "identité numérique" for digital public
 * infrastructure), which a sentence may say instead of the course's term.
 */
export interface TermGroup {
  terms: string[];
  weight: number;
  said?: string[];
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
  /** The sentence's analysed terms, as a set (for the redundancy check). */
  terms: Set<string>;
}

/** What the answerer reads of a passage, whatever the question: its sentences, their terms, its headings' terms. */
interface PassageReading {
  chunk: RetrievedPassage['chunk'];
  /** The passage's own terms with its step and lesson titles' (passageTerms in coverage.ts). */
  whole: Set<string>;
  heading: Set<string>;
  title: Set<string>;
  sentences: { text: string; seq: string[]; terms: Set<string>; words: number; quotable: boolean; advice: boolean }[];
}

/**
 * The same passages come back for question after question: each is read once. Bounded, like the
 * other per-text caches (text-analysis.ts), so a corpus 50 times the course does not keep them all.
 */
const MAX_READINGS = 1000;
const readings = new Map<string, PassageReading>();

function readingOf(chunk: RetrievedPassage['chunk'], lang: Language): PassageReading {
  const key = `${lang}\u0000${chunk.id}`;
  const kept = readings.get(key);
  // Content reloaded under the same id is a new chunk object: read it again.
  if (kept?.chunk === chunk) return kept;
  const heading = new Set(analyze(`${chunk.title} ${chunk.lessonTitle ?? ''}`, lang));
  const reading: PassageReading = {
    chunk,
    heading,
    whole: passageTerms({ chunk }, lang),
    title: new Set(analyze(chunk.title, lang)),
    // A quiz passage is quoted from its explanation only, never from its options (see chunking.ts).
    sentences: splitSentences(passageProse(chunk)).map((text) => {
      const seq = analyze(text, lang);
      const words = wordCount(text);
      // A question is never an answer, and a short line without a full stop is a heading or a list of options.
      const quotable = !/[?؟]$/.test(text) && (/[.!؟。:;)"”»]$/.test(text) || words >= 8);
      return { text, seq, terms: new Set(seq), words, quotable, advice: givesAdvice(text) };
    }),
  };
  if (readings.size >= MAX_READINGS) readings.clear();
  readings.set(key, reading);
  return reading;
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
    const have = readingOf(p.chunk, lang).whole;
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
  const groups: TermGroup[] = input.termGroups?.length ? input.termGroups : [...new Set(analyze(question, lang))].map((t) => ({ terms: [t], weight: Math.max(idf(t), 0.05) }));
  const weight = new Map<string, number>();
  for (const g of groups) for (const t of [...g.terms, ...(g.said ?? [])]) weight.set(t, Math.max(weight.get(t) ?? 0, g.weight));
  const totalWeight = groups.reduce((sum, g) => sum + g.weight * Math.max(g.terms.length, g.said?.length ?? 0), 0) || 1;
  const heldWeight = (have: Set<string>) => groups.reduce((sum, g) => sum + credit(g, idf, have), 0);
  const focus = questionFocus(question);
  const howTo = asksHowTo(question);
  const hasFocus = (text: string) => (focus === 'when' ? YEAR.test(westernDigits(text)) : focus === 'how-many' ? /\d/.test(westernDigits(text)) || NUMBER_WORDS.test(text) : false);
  // A question about the course itself ("what does module 6 cover?") is answered by the sentences that say so.
  const signpostWeight = ABOUT_THE_COURSE.test(question) ? 1 : SIGNPOST_WEIGHT;

  const pool = passages.slice(0, SENTENCE_POOL);
  const byPassage: Candidate[][] = pool.map(() => []);
  pool.forEach((p, pi) => {
    // Earlier passages are more likely to be on topic: a gentle decay keeps a perfect sentence in passage 3 competitive.
    const decay = (1 / (1 + 0.2 * pi)) * (KIND_WEIGHT[p.chunk.kind] ?? 1);
    // A sentence inherits part of its passage's headings (the step "Robodebt in Australia" is about Robodebt even
    // where a sentence says "the scheme"), and is weighed by how much of the question its whole passage covers.
    const { heading, whole, title, sentences } = readingOf(p.chunk, lang);
    const coverage = heldWeight(whole) / totalWeight;
    // A step whose own title carries the question's words ("The four risk tiers") is the one about it.
    const titleBoost = 1 + heldWeight(title) / totalWeight;
    sentences.forEach(({ text, seq, terms, words, quotable, advice }, index) => {
      if (!quotable) return;
      let score = 0;
      for (const g of groups) score += credit(g, idf, terms, heading);
      // Query terms that stay together ("data minimisation", "automation bias") count extra.
      for (let i = 1; i < seq.length; i++) if (weight.has(seq[i - 1]) && weight.has(seq[i]) && seq[i - 1] !== seq[i]) score += 0.25 * weight.get(seq[i])!;
      if (focus === 'when' && hasFocus(text)) score *= 1.5;
      if (focus === 'how-many' && hasFocus(text)) score *= 1.4;
      // "How do I…?" is answered by what the course says to do, not by what it says the thing is.
      if (howTo && advice) score *= ADVICE_BOOST;
      if (SIGNPOST.test(text)) score *= signpostWeight;
      byPassage[pi][index] = { passage: pi, index, text, score: score * decay * coverage * titleBoost, words, terms };
    });
  });
  const candidates = byPassage.flatMap((list) => list.filter(Boolean));
  const ranked = candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  if (!ranked.length) return { confident: false, confidence, text: '', cited: [] };

  const chosen = selectSentences(ranked, byPassage, maxWords, focus === 'other' ? undefined : hasFocus);

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

/**
 * A group's credit in a text, in its weight: one per term the text says, half where only its
 * headings do (the step "Robodebt in Australia" is about Robodebt even where a sentence says "the
 * scheme"). A glossary term said in full ("apoyo a la decisión") counts once per word, as the
 * words themselves would; the question's own words for it count alike.
 */
function credit(group: TermGroup, idf: (term: string) => number, have: Set<string>, heading?: Set<string>): number {
  const share = (t: string) => (have.has(t) ? 1 : heading?.has(t) ? 0.5 : 0);
  const course = group.terms.reduce((sum, t) => sum + share(t) * group.weight, 0);
  // The question's own words weigh as their own IDF, at most as the term: "IA" is in every other sentence.
  const own = group.said ? group.said.reduce((sum, t) => sum + share(t) * Math.min(Math.max(idf(t), 0.05), group.weight), 0) : 0;
  return Math.max(course, own);
}

/**
 * The answer's sentences, within `maxWords`: the best one; for a "when" or "how many" question
 * whose best sentence has no date or number, the best one that has; the good sentences of the
 * best one's passage around it, with the few between them, so the answer reads as the lesson does
 * (a list stays whole, a how-to keeps the step between two that name the question's words); the
 * sentences after (the first sentence of a step often names what the next ones explain: Novissi,
 * then how it chose whom to pay); then the other good sentences, best first. Other passages'
 * sentences that restate the first one would otherwise fill the answer.
 */
function selectSentences(ranked: Candidate[], byPassage: Candidate[][], maxWords: number, asksFor?: (text: string) => boolean): Candidate[] {
  const chosen: Candidate[] = [];
  let words = 0;
  // A sentence that mostly repeats one already chosen (the same definition in a quiz explanation) adds nothing.
  const redundant = (c: Candidate) =>
    chosen.some((o) => {
      const a = c.terms;
      const b = o.terms;
      let shared = 0;
      for (const t of a) if (b.has(t)) shared++;
      return a.size > 0 && shared / a.size >= 0.7;
    });
  const take = (list: (Candidate | undefined)[]) => {
    const fresh = list.filter((c): c is Candidate => Boolean(c) && !chosen.includes(c!));
    const cost = fresh.reduce((sum, c) => sum + c.words, 0);
    if (!fresh.length || words + cost > maxWords || fresh.some(redundant)) return false;
    chosen.push(...fresh);
    words += cost;
    return true;
  };
  const best = ranked[0]!;
  const siblings = byPassage[best.passage]!;
  const ofBest = () => chosen.filter((c) => c.passage === best.passage);
  take([best]);
  const floor = best.score * 0.5;
  // A "when" question is answered with a date, a "how many" one with a number: the best sentence that has one, if the best has none.
  if (asksFor && !asksFor(best.text)) take([ranked.find((c) => c.score >= floor && asksFor(c.text))]);
  // Outward from the best sentence, so that a run of good sentences joins up. Only in the passage
  // ranked first: further down, the best sentence is more often a lucky match, and reading its
  // passage on would crowd out the others.
  const good = siblings.filter((c) => c && c !== best && c.score >= floor).sort((a, b) => Math.abs(a.index - best.index) - Math.abs(b.index - best.index));
  for (const c of best.passage !== 0 ? [] : good) {
    const near = ofBest().reduce((a, o) => (Math.abs(o.index - c.index) < Math.abs(a.index - c.index) ? o : a));
    if (Math.abs(near.index - c.index) > MAX_GAP + 1) continue;
    const [from, to] = near.index < c.index ? [near.index + 1, c.index] : [c.index, near.index - 1];
    take(siblings.slice(from, to + 1));
  }
  // The sentences after usually carry the rest of the fact (a list, a date, a consequence, how it was done):
  // in the passage ranked first, the next two, one by one; elsewhere the next, else the one before.
  const last = Math.max(...ofBest().map((c) => c.index));
  const readOn = best.passage === 0 ? FIRST_PASSAGE_READ_ON : 1;
  if (!take([siblings[last + 1]])) take([siblings[best.index - 1]]);
  else for (let k = 2; k <= readOn && take([siblings[last + k]]); k++);
  for (const c of ranked) {
    if (c.score < floor) break;
    take([c]);
  }
  if (words < 25) take([siblings[Math.min(...ofBest().map((c) => c.index)) - 1]]);
  return chosen;
}
