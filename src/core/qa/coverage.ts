import type { Language } from '../../config/config-schema';
import type { RetrievedPassage } from '../../ports/retrieval';
import { editDistance, withinOneEdit } from '../text-normalize';
import { splitSentences } from './sentences';
import type { Glossary } from './glossary';
import { offDomainShape } from './off-domain';
import { isPlaceTerm, selfContextPlaces } from './place-names';
import { analyze, analyzeWordTerms, isAcronym, isQuestionFraming, isStopWordTypo, normalizeArabic, wordTokens } from './text-analysis';

/**
 * The evidence behind the "not covered" decision, from the question and the passages retrieved
 * for it. The old gate counted only lexical coverage, and words the course never uses weighed
 * the most, so one everyday word ("ban" where the course says "prohibited") or one typo sank a
 * covered question. Here:
 * - a typo counts as the course word it is closest to (one or two edits, see nearestTerm);
 * - a glossary synonym or variant ("cutoff", "chatgpt") counts as the course's term;
 * - an unknown everyday word weighs little (OOV_SHARE), but an unknown name, acronym or number
 *   ("Bletchley", "CONPES 3975") weighs as much as the rarest course word: a question about a
 *   named thing the course never mentions is not covered, however ordinary its other words;
 * - the lexical and vector retrievers agreeing on the top passage, and the vector similarity,
 *   add to the confidence (agreement, similarity);
 * - the question's words stated together in one sentence (sentence), its topic in the passages'
 *   headings (topical), and the share of words the course never uses (oov) weigh in too;
 * coverageConfidence combines them in a logistic model fitted on our development questions.
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
  /** Share of the question's weight found in the top passages' headings (step, lesson, module titles) or named by the glossary. */
  topical: number;
  /** Share of the question's weight carried by words the course never uses (everyday words, names). */
  oov: number;
  /** The most of the question one sentence of the top passages holds (headings count half). */
  sentence: number;
  /**
   * 1 when the question names something in several capitalised words ("EU Data Act", "Digital
   * Services Act") that no top passage says as one phrase: the course knows each word, not the thing.
   */
  unknownPhrase: number;
  /** 1 when the question has the shape of a general-knowledge one (a capital, the weather, a recipe: see off-domain.ts). */
  offDomain: number;
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
  /**
   * Whether the course writes a term as a name (capitalised inside a sentence): a capitalised
   * word one edit from a course word is its typo only then ("Estnia" is Estonia; "Villani" is not
   * "village"). Unset, any course word can be the name's typo.
   */
  isCourseName?: (term: string) => boolean;
}

/**
 * Below this confidence the bot says the course does not cover the question. Calibrated with
 * `npm run bench` (bench/qa-confidence.ts) on our own questions, 86 on-topic and 62 off-topic
 * (21 near misses), with the weights below: at 0.50, 98% of on-topic answered and 11% of
 * off-topic (near misses 5%); at 0.55, 95% and 8% (5%; 68% of the 47 graded ones with the
 * expected facts); at 0.60, 93% and 6%; at 0.75, 81% and 2%. 0.55 keeps nearly every answer that
 * carries the facts while declining most off-topic questions.
 */
export const NOT_COVERED_THRESHOLD = 0.55;

/**
 * Weight of an unknown everyday word, as a share of the rarest word's: about that of a word found
 * in one passage in ten on the full course (2.5 of 7.1); relative, so a small index weighs it alike.
 */
const OOV_SHARE = 0.35;
/** A typo corrected to a course word counts a little less than the word itself. */
const TYPO_CREDIT = 0.8;
/** A glossary term found through a synonym or misspelling counts a little less than the course's own word. */
const GLOSSARY_CREDIT = 0.9;
/** A passage word that is the question's word with one edit (or a longer form of it) counts partly. */
const NEAR_CREDIT = 0.7;

interface Unit {
  /** Any of these terms in a passage covers the unit (a glossary term's words need half of them). */
  terms: string[];
  need: number;
  weight: number;
  unknownName: boolean;
  /** A word the course never uses (not a typo of one). */
  oov?: boolean;
  /** A glossary term the question names in everyday words. */
  glossary?: boolean;
  /** A glossary term's: the question's own words it stands for, which a sentence may say instead (not counted for coverage). */
  said?: string[];
}

/** Shorter misspellings are too often another real word; the index's own typo matching covers them. */
const GLOSSARY_TYPO_MIN_LENGTH = 8;

/** Per glossary, the entry each misspelt word was read as: a fuzzy look-up scans every spelling, and a question is judged several times. */
const typoCache = new WeakMap<Glossary, Map<string, string | undefined>>();
const TYPOS_REMEMBERED = 2000;

function glossaryTypo(glossary: Glossary, word: string): string | undefined {
  const cache = typoCache.get(glossary) ?? typoCache.set(glossary, new Map()).get(glossary)!;
  if (cache.has(word)) return cache.get(word);
  if (cache.size >= TYPOS_REMEMBERED) cache.clear();
  const id = glossary.find(word).id;
  cache.set(word, id);
  return id;
}

/** The course's words for the glossary entry a misspelt word is closest to, if exactly one is. */
function misspeltGlossaryTerm(input: Omit<CoverageInput, 'passages'>, word: string, lang: Language): string[] | undefined {
  const id = input.glossary ? glossaryTypo(input.glossary, word) : undefined;
  const entry = id ? input.glossary!.entry(id, lang) : undefined;
  return entry ? [...new Set(analyze(entry.term, lang))].filter((t) => input.knows(t)) : undefined;
}

/** The question as weighted units (a word, a corrected typo, or a glossary term), for coverage and reranking. */
export interface QuestionUnits {
  units: Unit[];
  total: number;
  /** Share of the weight carried by names, acronyms or numbers the course does not know. */
  unknownNames: number;
  glossaryIds: string[];
  /** Names of two or more capitalised words, as analysed term sequences (see CoverageEvidence.unknownPhrase). */
  namePhrases: string[][];
  offDomain: number;
}

export function questionUnits(input: Omit<CoverageInput, 'passages'>): QuestionUnits {
  const { question, lang, idf, knows, nearestTerm } = input;
  // The IDF of a term no passage contains: the weight of the rarest possible word.
  const maxIdf = Math.max(idf('\u0000'), 1);
  const matches = input.glossary?.matches(question, input.glossaryLangs ?? [lang]) ?? [];
  const explained = new Set(matches.flatMap((m) => m.covered));
  const units: Unit[] = [];
  const seen = new Set<string>();
  const words = wordTokens(question);
  const atStart = words.map((word, i) => i === 0 || SENTENCE_END.has(precedingText(question, word, i).trimEnd().slice(-1)));
  const namePhrases: string[][] = [];
  let run: string[] = [];
  const endRun = () => {
    if (run.length >= 2) namePhrases.push(run);
    run = [];
  };
  words.forEach((word, i) => {
    const term = analyzeWordTerms(word, lang)[0];
    if (/^\p{Lu}/u.test(word) && !/\d/.test(word) && (!atStart[i] || word === word.toUpperCase()) && term) run.push(term);
    else endRun();
  });
  endRun();
  const context = selfContextPlaces(question, words, lang);
  words.forEach((word, i) => {
    // An acronym the course never writes in capitals ("shouted" words) is its plain word.
    const forms = analyzeWordTerms(word, lang);
    // "I'm a civil servant in Ghana, …": where the learner works is not what they ask about.
    if (context.has(i) && !forms.some((t) => knows(t))) return;
    for (const term of [forms.find((t) => knows(t)) ?? forms[0]].filter(Boolean)) {
      if (seen.has(term) || explained.has(term) || (isQuestionFraming(term, lang) && !isAcronym(word))) continue;
      seen.add(term);
      if (knows(term)) {
        units.push({ terms: [term], need: 1, weight: Math.max(idf(term), 0.05), unknownName: false });
        continue;
      }
      if (input.knownOnly) continue;
      const form = lang === 'ar' ? arabicForms(word).find((t) => knows(t) && !seen.has(t)) : undefined;
      if (form) {
        seen.add(form);
        units.push({ terms: [form], need: 1, weight: Math.max(idf(form), 0.05) * TYPO_CREDIT, unknownName: false });
        continue;
      }
      // A name ("Villani") is not a misspelt course word two edits away ("village"); one edit may be a typo.
      // A country typed in lower case ("japan's", "del perú") is a name all the same.
      const capitalised = looksLikeName(word, atStart[i]!) || isPlaceTerm(term, lang);
      const name = input.strict || capitalised;
      const near = nearestTerm(term);
      if (near && !seen.has(near) && (!name || (editDistance(term, near, 1) <= 1 && (!capitalised || (input.isCourseName?.(near) ?? true))))) {
        seen.add(near);
        units.push({ terms: [near], need: 1, weight: Math.max(idf(near), 0.05) * TYPO_CREDIT, unknownName: false });
        continue;
      }
      // A long word one edit from a glossary spelling ("accessibilty") whose stem strayed too far from the course's.
      const spelt = !name && word.length >= GLOSSARY_TYPO_MIN_LENGTH ? misspeltGlossaryTerm(input, word, lang) : undefined;
      if (spelt?.length && !spelt.some((t) => seen.has(t))) {
        for (const t of spelt) seen.add(t);
        units.push({ terms: spelt, need: Math.max(1, Math.ceil(spelt.length / 2)), weight: Math.max(...spelt.map((t) => idf(t))) * TYPO_CREDIT, unknownName: false });
        continue;
      }
      if (isStopWordTypo(word, lang)) continue;
      units.push({ terms: [term], need: 1, weight: name ? maxIdf : maxIdf * (lang === 'ar' ? 0.4 : OOV_SHARE), unknownName: name, oov: true });
    }
  });
  for (const m of matches) {
    const entry = input.glossary!.entry(m.id, lang);
    const canonical = [...new Set(analyze(entry?.term ?? '', lang))].filter((t) => knows(t));
    if (!canonical.length) continue;
    // A glossary term stands for the everyday words that found it: it weighs as its rarest word, at GLOSSARY_CREDIT.
    units.push({
      terms: canonical,
      need: Math.max(1, Math.ceil(canonical.length / 2)),
      weight: Math.max(...canonical.map((t) => idf(t))) * GLOSSARY_CREDIT,
      unknownName: false,
      glossary: true,
      said: m.covered,
    });
  }
  const total = units.reduce((s, u) => s + u.weight, 0);
  const unknownNames = total ? units.filter((u) => u.unknownName).reduce((s, u) => s + u.weight, 0) / total : 0;
  return { units, total, unknownNames, glossaryIds: matches.map((m) => m.id), namePhrases, offDomain: offDomainShape(question) };
}

/** The units of a condensed follow-up, those that are not among its own question's weighed at `share`. */
export function borrowedLightly(q: QuestionUnits, own: QuestionUnits, share: number): QuestionUnits {
  const mine = new Set(own.units.flatMap((u) => u.terms));
  const units = q.units.map((u) => (u.terms.some((t) => mine.has(t)) ? u : { ...u, weight: u.weight * share }));
  const total = units.reduce((s, u) => s + u.weight, 0);
  const unknownNames = total ? units.filter((u) => u.unknownName).reduce((s, u) => s + u.weight, 0) / total : 0;
  return { units, total, unknownNames, glossaryIds: q.glossaryIds, namePhrases: q.namePhrases, offDomain: q.offDomain };
}

/** The weighted share of the question's units that a passage's terms contain (a near form counts partly). */
export function passageCoverage(q: QuestionUnits, have: Set<string>): number {
  if (!q.total) return 0;
  let got = 0;
  for (const u of q.units) {
    let exact = 0;
    for (const t of u.terms) if (have.has(t)) exact++;
    if (exact >= u.need) got += u.weight;
    else if (u.need === 1 && !u.unknownName && u.terms.some((t) => nearIn(t, have))) got += u.weight * NEAR_CREDIT;
  }
  return got / q.total;
}

/** A passage's analysed terms: its title, text and headings. */
export function passageTerms(p: Pick<RetrievedPassage, 'chunk'>, lang: Language): Set<string> {
  return new Set(analyze(`${p.chunk.title} ${p.chunk.text} ${p.chunk.lessonTitle ?? ''}`, lang));
}

/** Each sentence's analysed terms, and the passage's headings (step, lesson and module titles). */
export function sentenceTerms(p: RetrievedPassage, lang: Language): { sentences: Set<string>[]; headings: Set<string> } {
  return {
    sentences: splitSentences(p.chunk.text).map((s) => new Set(analyze(s, lang))),
    headings: new Set(analyze(`${p.chunk.title} ${p.chunk.lessonTitle ?? ''} ${p.chunk.moduleTitle ?? ''}`, lang)),
  };
}

/**
 * The question's weighted share that one sentence holds, its passage's headings counting half:
 * an answer states the question's terms together, where a passage that merely shares words with
 * an off-topic question ("the capital of Australia") has them sentences apart.
 */
export function bestSentenceCoverage(q: QuestionUnits, p: { sentences: Set<string>[]; headings: Set<string> }): number {
  if (!q.total) return 0;
  let best = 0;
  for (const sentence of p.sentences) {
    let got = 0;
    for (const u of q.units) {
      let inSentence = 0;
      let inHeadings = 0;
      for (const t of u.terms) {
        if (sentence.has(t)) inSentence++;
        else if (p.headings.has(t)) inHeadings++;
      }
      inHeadings += inSentence;
      if (inSentence >= u.need) got += u.weight;
      else if (inHeadings >= u.need) got += u.weight * 0.5;
    }
    best = Math.max(best, got / q.total);
  }
  return best;
}

export function assessCoverage(
  input: CoverageInput & {
    units?: QuestionUnits;
    termsOf?: (p: RetrievedPassage) => Set<string>;
    sentencesOf?: (p: RetrievedPassage) => ReturnType<typeof sentenceTerms>;
    /** Whether the course says a run of terms as one phrase anywhere; unset, the top passages are searched. */
    saysPhrase?: (run: string[]) => boolean;
  },
): CoverageEvidence {
  const { lang, passages } = input;
  const top = passages.slice(0, 3);
  const q = input.units ?? questionUnits(input);
  const termsOf = input.termsOf ?? ((p: RetrievedPassage) => passageTerms(p, lang));
  const sentencesOf = input.sentencesOf ?? ((p: RetrievedPassage) => sentenceTerms(p, lang));
  const coverage = Math.max(0, ...top.map((p) => passageCoverage(q, termsOf(p))));
  const sentence = Math.max(0, ...top.map((p) => bestSentenceCoverage(q, sentencesOf(p))));
  // Whether the question's topic is what the passages are about: its words in their headings, or a glossary term.
  const headings = new Set(top.flatMap((p) => analyze(`${p.chunk.title} ${p.chunk.lessonTitle ?? ''} ${p.chunk.moduleTitle ?? ''}`, lang)));
  const topical = q.total ? q.units.filter((u) => u.glossary || u.terms.some((t) => headings.has(t))).reduce((s, u) => s + u.weight, 0) / q.total : 0;
  const share = (f: (u: Unit) => boolean | undefined) => (q.total ? q.units.filter(f).reduce((s, u) => s + u.weight, 0) / q.total : 0);
  const oov = share((u) => u.oov);
  // The top passages' words are read only when a name must be looked for and no phrase table was given.
  let said: string[][][] | undefined;
  const says = input.saysPhrase ?? ((run: string[]) => (said ??= passages.slice(0, 5).map((p) => wordTerms(`${p.chunk.title}. ${p.chunk.text}`, lang))).some((words) => containsRun(words, run)));
  const unknownPhrase = q.namePhrases.some((phrase) => !says(phrase)) ? 1 : 0;
  return {
    coverage,
    unknownNames: q.unknownNames,
    agreement: agreementOf(passages),
    similarity: Math.max(0, ...top.map((p) => p.vectorSimilarity ?? 0)),
    glossaryIds: q.glossaryIds,
    topical,
    oov,
    sentence,
    unknownPhrase,
    offDomain: q.offDomain,
  };
}

/**
 * The confidence that the course covers the question, from 0 to 1: a logistic model over all the
 * evidence, fitted on our own development questions (bench/qa-dev-own.jsonl: on-topic questions in
 * every style and language, off-topic and near-miss ones, and the lists in bench/qa-confidence.ts;
 * 148 in all) with both classes weighted equally and a light L2 penalty (0.002), its bias then
 * moved by +0.4 so that the fitted model's best cut (0.45) sits at NOT_COVERED_THRESHOLD; checked
 * against the curve `npm run bench` prints. Coverage by a passage and by a heading-topic count for
 * it; words the course never uses, unknown names, a name the course never says as one phrase and a
 * general-knowledge shape against it, so an off-topic question sharing ordinary words with a
 * lesson ("the capital of Australia", "the EU Data Act") stays below the threshold.
 */
const WEIGHTS = { bias: -1.59, coverage: 1.92, sentence: 0.97, topical: 2.03, oov: -4.27, unknownNames: -1.12, agreement: 0.09, similarity: 2.17, unknownPhrase: -2.33, offDomain: -2.64 };

export function coverageConfidence(e: CoverageEvidence): number {
  const w = WEIGHTS;
  const z =
    w.bias +
    w.coverage * e.coverage +
    w.sentence * e.sentence +
    w.topical * e.topical +
    w.oov * e.oov +
    w.unknownNames * e.unknownNames +
    w.agreement * e.agreement +
    w.similarity * e.similarity +
    w.unknownPhrase * e.unknownPhrase +
    w.offDomain * e.offDomain;
  return 1 / (1 + Math.exp(-z));
}

/** A text's words, each as its terms, stop words left out. */
export function wordTerms(text: string, lang: Language): string[][] {
  return wordTokens(text)
    .map((w) => analyzeWordTerms(w, lang))
    .filter((t) => t.length);
}

/** Whether a text's words (see wordTerms) say the run of terms in order. */
function containsRun(words: string[][], run: string[]): boolean {
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((t, k) => words[i + k]!.includes(t))) return true;
  return false;
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
  // A passage's term set is kept (answer-service.ts) and meets the same missing words question
  // after question: the scan over all its terms is remembered with the set, and goes with it.
  let known = nearMemo.get(have);
  if (!known) nearMemo.set(have, (known = new Map()));
  const remembered = known.get(term);
  if (remembered !== undefined) return remembered;
  let near = false;
  for (const t of have) {
    if ((t.length >= 5 && (t.startsWith(term) || term.startsWith(t))) || (term.length >= 6 && withinOneEdit(term, t))) {
      near = true;
      break;
    }
  }
  if (known.size >= NEAR_MEMO_TERMS) known.clear();
  known.set(term, near);
  return near;
}

const NEAR_MEMO_TERMS = 500;
const nearMemo = new WeakMap<Set<string>, Map<string, boolean>>();

/** Attached conjunctions and prepositions, and possessive endings ("وزارتي", my ministry), that the Arabic stemmer leaves on. */
const ARABIC_PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];
const ARABIC_SUFFIXES = ['تي', 'تها', 'تهم', 'تنا', 'ها', 'هم', 'نا', 'كم', 'ي', 'ه', 'ك'];

/** Imperfect-verb prefixes, alef normalised ("أشكّل", I form; "نطلب", we ask): how-to questions are full of them, the course's prose is not. */
const ARABIC_VERB_PREFIXES = ['ا', 'ن', 'ي', 'ت'];

/**
 * The terms of an unknown Arabic word with one clitic removed at either end ("تي" leaves the teh
 * marbuta: وزارتي → وزارة), and with a verb's person prefix removed too.
 */
function arabicForms(raw: string): string[] {
  const out: string[] = [];
  const word = normalizeArabic(raw);
  const clitics = [word, ...ARABIC_PREFIXES.filter((p) => word.startsWith(p) && word.length - p.length >= 3).map((p) => word.slice(p.length))];
  const stems = [...clitics, ...clitics.flatMap((w) => ARABIC_VERB_PREFIXES.filter((p) => w.startsWith(p) && w.length > 3).map((p) => w.slice(p.length)))];
  for (const w of stems) {
    if (w !== word) out.push(...analyzeWordTerms(w, 'ar'));
    for (const suffix of ARABIC_SUFFIXES) {
      if (!w.endsWith(suffix) || w.length - suffix.length < 3) continue;
      const base = w.slice(0, -suffix.length) + (suffix.startsWith('ت') ? 'ة' : '');
      out.push(...analyzeWordTerms(base, 'ar'));
    }
  }
  return out;
}

const SENTENCE_END = new Set(['.', '?', '!', '¿', '¡', ':', '"', '“', '«', '(']);

/** A capitalised word inside a sentence, an acronym or a number: the name of something. */
function looksLikeName(word: string, sentenceStart: boolean): boolean {
  if (/\d/.test(word)) return true;
  if (isAcronym(word)) return true;
  return !sentenceStart && /^\p{Lu}/u.test(word);
}

/** The text before the i-th word token, to tell whether it starts a sentence. */
function precedingText(question: string, word: string, i: number): string {
  let from = 0;
  const tokens = wordTokens(question);
  for (let k = 0; k < i; k++) from = question.indexOf(tokens[k], from) + tokens[k].length;
  return question.slice(0, question.indexOf(word, from));
}
