import type { Language } from '../../config/config-schema';
import { NOT_IN_COURSE_MARKER, type LlmPort, type QaExchange } from '../../ports/llm';
import { firstRefusal, type RateLimitPort } from '../../ports/rate-limits';
import { cleanModelOutput } from './untrusted-text';
import type { Chunk, RetrievalMode, RetrievalPort, RetrievedPassage } from '../../ports/retrieval';
import { checkCitations, citationOf, type Citation } from './citations';
import {
  assessCoverage,
  bestSentenceCoverage,
  coverageConfidence,
  NOT_COVERED_THRESHOLD,
  passageCoverage,
  passageTerms,
  questionUnits,
  sentenceTerms,
  borrowedLightly,
  wordTerms,
  type CoverageEvidence,
  type QuestionUnits,
} from './coverage';
import { extractiveAnswer, type TermGroup } from './extractive-answerer';
import { composeExplanation } from './explanation';
import type { Glossary } from './glossary';
import { isFollowUp } from './follow-up';
import { redactPersonalData } from './pii-redaction';
import { splitSentences } from './sentences';
import { analyze, wordTokens, analyzeWord, analyzeWordTerms, isAcronym, isQuestionFraming, questionFocus } from './text-analysis';

/**
 * With a model the retrieval gate is looser: the model reads the passages and replies
 * NOT_IN_COURSE when they do not answer, so retrieval only has to find plausible candidates.
 * At 0.15 (bench/qa-confidence.ts) 99% of on-topic questions reach the model, as at 0.20, and 56%
 * of the off-topic ones are still stopped before costing a model call; the lower setting also lets
 * through a covered question padded with words the course never uses (an injection attempt).
 */
export const LLM_CONFIDENCE_THRESHOLD = 0.15;

const REDACTION_MARKS = /\[(email|phone|id number)\]/g;

export type QaNotice = 'language-fallback' | 'llm-fallback' | 'llm-limited' | 'citations-dropped';

interface Retrieved {
  passages: RetrievedPassage[];
  /** Language of the passages (and of an extractive answer). */
  contentLang: Language;
  confidence: number;
  /** The text that was searched (a condensed follow-up, or the question). */
  query: string;
  /** What the not-covered decision was based on (for `npm run ask` and the bench). */
  evidence?: CoverageEvidence;
  /** The question's words as the decision weighed them (typos corrected, glossary terms, no framing words), for choosing sentences. */
  termGroups?: TermGroup[];
}

export type QaAnswer =
  | (Retrieved & { kind: 'answer'; text: string; citations: Citation[]; notices: QaNotice[]; generator: 'extractive' | 'llm' })
  | (Retrieved & { kind: 'not-covered'; closest: Citation[]; notices: QaNotice[] })
  | { kind: 'too-long'; limit: number }
  | { kind: 'empty' }
  | { kind: 'unknown-step' };

/**
 * What `ask` reports while a model answers, for channels that show it: the search started, then
 * the answer's complete sentences so far, cleaned and with citations checked as the final one is.
 */
export type QaProgress = { stage: 'searching' } | { stage: 'writing'; text: string };

export interface AskInput {
  question: string;
  lang: Language;
  history?: QaExchange[];
  /** 'lexical' gives the BM25-only baseline of the eval. */
  retrievalMode?: RetrievalMode;
  /** Who the model's answer is counted against (learner key, tenant); unset: not counted. */
  budget?: ModelBudgetKeys;
  /** Progress while the model answers; unset (and offline) nothing is reported. */
  onProgress?: (progress: QaProgress) => void;
}

export interface ModelBudgetKeys {
  learner: string;
  tenant?: string;
}

interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export interface QaServiceOptions {
  retrieval: RetrievalPort;
  /** Unset: offline, extractive answers only. */
  llm?: LlmPort;
  /** The course glossary: query expansion, coverage of everyday words, `define`. */
  glossary?: Glossary;
  /** Longer questions get a clear message instead of an answer (QA_MAX_QUESTION_CHARS). */
  maxQuestionChars: number;
  logger?: WarnLogger;
  /** Passages retrieved and citable. */
  k?: number;
  /**
   * Overall time for the model calls of one question, retries included; then the extractive
   * answer is sent. Teams retries a turn not answered within 15 s, so the default is 10 s.
   */
  llmBudgetMs?: number;
  /** Model answers a minute and a day per learner, a day per tenant and per deployment; past one, the extractive answer. */
  limits?: RateLimitPort;
  /** The offline not-covered threshold (NOT_COVERED_THRESHOLD); the bench sets 0 to see every answer's confidence and facts. */
  notCoveredThreshold?: number;
}

/** Fused candidates the second stage reranks (see QaService.rerank). */
const RERANK_DEPTH = 20;
/** Passages whose analysed terms are kept: a few times the course's own, so its passages stay kept. */
const KEPT_PASSAGES = 10_000;
/** Weight of the fused score (scaled so the first is 1) against coverage (0..1) in the rerank. */
const FUSION_SHARE = 0.5;
/** Answers quote lessons: a quiz item or a module overview needs to cover more of the question to come first. */
const KIND_PRIOR: Partial<Record<Chunk['kind'], number>> = { quiz: 0.85, module: 0.7 };
/** Terms in more than about a third of the passages ("AI", "data") are not worth a glossary expansion. */
const COMMON_TERM_IDF = 1.2;

/** Weight of the words a follow-up borrows from the previous question, against its own. */
const BORROWED_SHARE = 0.35;

/**
 * A follow-up with no more topic words of its own than this ("e em que ano foram abertos?" has
 * only "abertos" once "ano" counts as framing) is all about the previous question's topic: its
 * words are not repeated, and the borrowed ones weigh fully.
 */
const FEW_OWN_TERMS = 1;

/** A follow-up with more content words than this names its own topic and borrows none. */
const MAX_FOLLOW_UP_TERMS = 6;

/** How many of the previous question's words a follow-up borrows. */
const TOPIC_WORDS = 4;

/**
 * The channel-neutral Q&A service: retrieves passages in the learner's language (English when
 * that language has no content, with a notice), answers extractively or with the model, checks
 * citations, and says "not covered" rather than guessing.
 */
export class QaService {
  private readonly k: number;
  /** Passages' analysed terms, kept by passage id: bounded, so a corpus 50 times the course does not keep them all. */
  private readonly passageTermCache = new Map<string, Set<string>>();
  private readonly sentenceTermCache = new Map<string, ReturnType<typeof sentenceTerms>>();
  /** Per language, the pairs of neighbouring terms the course says ("data act" is not one), built on first use. */
  private readonly coursePairs = new Map<Language, Set<string>>();
  /** Per language, the terms the course writes capitalised inside a sentence (names), built on first use. */
  private readonly courseNames = new Map<Language, Set<string>>();

  constructor(private readonly options: QaServiceOptions) {
    this.k = options.k ?? 5;
  }

  get llmEnabled(): boolean {
    return Boolean(this.options.llm);
  }

  /** The configured model (for other features' model calls, such as exercise feedback), and its time budget. */
  get llm(): LlmPort | undefined {
    return this.options.llm;
  }

  get llmBudgetMs(): number {
    return this.options.llmBudgetMs ?? 10000;
  }

  /** Whether the course in `lang` uses a word, or has it as a stop word (for telling the question's language). */
  knowsWord(word: string, lang: Language): boolean {
    const { retrieval } = this.options;
    if (!retrieval.languages().includes(lang)) return false;
    const term = analyzeWord(word, lang);
    return term === undefined || retrieval.knows(term, lang);
  }

  get glossary(): Glossary | undefined {
    return this.options.glossary;
  }

  /** Where a lesson is in the course, in `lang` (else English), for citing it. */
  lessonOf(lessonId: string, lang: Language): Pick<Chunk, 'moduleId' | 'moduleTitle' | 'lessonTitle'> | undefined {
    const { retrieval } = this.options;
    const find = (l: Language) => retrieval.chunks(l).find((c) => c.lessonId === lessonId);
    const chunk = find(lang) ?? find('en');
    return chunk && { moduleId: chunk.moduleId, moduleTitle: chunk.moduleTitle, lessonTitle: chunk.lessonTitle };
  }

  async ask(input: AskInput): Promise<QaAnswer> {
    const typed = input.question.trim();
    if (!typed) return { kind: 'empty' };
    if (typed.length > this.options.maxQuestionChars) return { kind: 'too-long', limit: this.options.maxQuestionChars };
    // Personal data never helps retrieval and must not reach a model: it goes before anything else.
    const question = redactPersonalData(typed);
    const history = (input.history ?? []).slice(-3);
    const { llm, limited } = await this.modelFor(input.budget);
    // Only a model answer takes long enough to be worth a progress line.
    if (llm) input.onProgress?.({ stage: 'searching' });
    const signal = llm ? AbortSignal.timeout(this.options.llmBudgetMs ?? 10000) : undefined;
    const query = await this.standaloneQuestion(llm, question, input.lang, history, signal);
    const searchText = query.replace(REDACTION_MARKS, ' ').replace(/\s+/g, ' ').trim();
    if (!searchText) return { kind: 'empty' };
    // A follow-up ("and when did it end?") is on the topic of the previous question: the topic decides coverage.
    const topic = query !== question && !llm ? history[history.length - 1]?.question : undefined;
    const retrieved = await this.retrieve(searchText, input.lang, input.retrievalMode, topic, topic ? question : undefined);
    const notices: QaNotice[] = [...(retrieved.fellBack ? (['language-fallback'] as const) : []), ...(limited ? (['llm-limited'] as const) : [])];
    if (retrieved.confidence < (llm ? LLM_CONFIDENCE_THRESHOLD : (this.options.notCoveredThreshold ?? NOT_COVERED_THRESHOLD))) return this.notCovered(retrieved, notices);
    return this.compose(llm, query, input.lang, retrieved, notices, signal, 'answer', input.onProgress);
  }

  /**
   * The model for this question, unless a limit says no: then none, and the learner is told
   * why the answer quotes the course instead. Offline there is nothing to count.
   */
  async modelFor(budget: ModelBudgetKeys | undefined): Promise<{ llm?: LlmPort; limited: boolean }> {
    const { llm, limits } = this.options;
    if (!llm || !limits || !budget) return { llm, limited: false };
    const refused = await firstRefusal(limits, [
      ['llm.learner', budget.learner],
      ['llm.tenant', budget.tenant],
      ['llm.learnerDaily', budget.learner],
      ['llm.tenantDaily', budget.tenant],
      ['llm.deploymentDaily', 'all'],
    ]);
    if (!refused) return { llm, limited: false };
    this.options.logger?.warn({ limit: refused.limit }, 'model call refused by a limit; answering extractively');
    return { limited: true };
  }

  /** "Explain more" about a step: related passages from elsewhere in the course, or the model's fuller explanation. */
  async explain(stepId: string, lang: Language, budget?: ModelBudgetKeys): Promise<QaAnswer> {
    const { retrieval } = this.options;
    const step = retrieval.chunk(`${lang}:${stepId}`) ?? retrieval.chunk(`en:${stepId}`);
    if (!step) return { kind: 'unknown-step' };
    const idf = (t: string) => retrieval.idf(t, step.lang);
    const key = keyWords(step, 8, idf);
    const query = `${step.title}. ${key.join(' ')}`;
    const result = await retrieval.search(`${step.title}\n${step.text}`, step.lang, { k: this.k * 4 });
    // What explains a step is a passage about the same thing (its distinctive words: "SyRI", "the
    // Hague"), best from the same lesson, then the same module; not one that merely shares its
    // general words. The fused score breaks ties.
    const keyTerms = [...new Set(key.map((w) => analyzeWord(w, step.lang)).filter((t): t is string => Boolean(t)))];
    const closeness = (c: Chunk) => (c.lessonId && c.lessonId === step.lessonId ? 1.3 : c.moduleId && c.moduleId === step.moduleId ? 1.15 : 1);
    const about = (p: RetrievedPassage) => {
      const have = this.termsOf(p);
      return keyTerms.filter((t) => have.has(t)).reduce((sum, t) => sum + idf(t), 0);
    };
    const related = result.passages
      .filter((p) => p.chunk.id !== step.id)
      .map((p) => ({ ...p, score: (about(p) + p.score) * closeness(p.chunk) }))
      .sort((a, b) => b.score - a.score);
    const passages = [{ chunk: step, score: 1, rank: 0 }, ...related].slice(0, this.k).map((p, i) => ({ ...p, rank: i + 1 }));
    const retrieved = { passages, contentLang: step.lang, confidence: 1, query };
    const { llm, limited } = await this.modelFor(budget);
    const notices: QaNotice[] = [...(step.lang !== lang ? (['language-fallback'] as const) : []), ...(limited ? (['llm-limited'] as const) : [])];
    if (llm) return this.compose(llm, query, lang, retrieved, notices, AbortSignal.timeout(this.options.llmBudgetMs ?? 10000), 'explain');
    // Offline, repeating the step is no help: whole sentences from the other steps that explain it.
    const explained = composeExplanation({ step, related, lang: step.lang, idf });
    if (!explained.text) return this.notCovered({ ...retrieved, passages: related.slice(0, this.k) }, notices);
    const cited = explained.cited.map((p, i) => ({ ...p, rank: i + 1 }));
    return { kind: 'answer', ...retrieved, passages: cited, text: explained.text, citations: cited.map((p, i) => citationOf(i + 1, p.chunk)), notices, generator: 'extractive' };
  }

  private async standaloneQuestion(llm: LlmPort | undefined, question: string, lang: Language, history: QaExchange[], signal?: AbortSignal): Promise<string> {
    if (!history.length) return question;
    const { logger } = this.options;
    if (llm) {
      try {
        const condensed = await llm.condense(
          {
            question: redactPersonalData(question),
            lang,
            history: history.map((h) => ({ question: redactPersonalData(h.question), answer: redactPersonalData(h.answer) })),
          },
          { signal },
        );
        if (condensed.trim()) return condensed.trim().slice(0, this.options.maxQuestionChars);
      } catch (err) {
        logger?.warn({ err: (err as Error).message }, 'condensing a follow-up failed; using the heuristic');
      }
    }
    // Offline: a follow-up borrows the previous question's most distinctive words, and its own
    // words count twice so that they, not the previous topic, decide which passage comes first,
    // unless it has hardly any ("and when were they opened?"): then the topic must decide.
    const last = history[history.length - 1];
    // A question with no topic word of its own ("¿en qué año fue?", "funciona desde quando?") can only be about the previous one's.
    const follows = isFollowUp(question) || ownTopicTerms(question, lang) === 0;
    if (!follows || analyze(question, lang).length > MAX_FOLLOW_UP_TERMS) return question;
    // "And what is automation bias?" after a question on registers names a topic of its own: a course term the previous question did not.
    if (this.switchesTopic(question, last.question, lang)) return question;
    const topic = distinctiveWords(last.question, lang, TOPIC_WORDS, (t) => this.options.retrieval.idf(t, lang));
    if (!topic.length) return question;
    const own = ownTopicTerms(question, lang) > FEW_OWN_TERMS ? `${question} ${question}` : question;
    return `${own} ${topic.join(' ')}`;
  }

  private async retrieve(query: string, lang: Language, mode?: RetrievalMode, topic?: string, own?: string): Promise<Retrieved & { fellBack: boolean }> {
    const first = await this.retrieveIn(query, lang, lang, mode, topic, own);
    // A translation in progress may lack the lesson that answers: try the English course before giving up.
    if (first.confidence < NOT_COVERED_THRESHOLD && first.contentLang !== 'en') {
      const english = await this.retrieveIn(query, lang, 'en', mode, topic, own);
      if (english.confidence >= NOT_COVERED_THRESHOLD) return { ...english, fellBack: true };
    }
    return first;
  }

  /**
   * One search in `contentLang` (English when it has no content), the query expanded with the
   * course's own words for any glossary term the question uses in the learner's or the content's
   * language, and the evidence for the not-covered decision.
   */
  private async retrieveIn(query: string, lang: Language, contentLang: Language, mode?: RetrievalMode, topic?: string, own?: string): Promise<Retrieved & { fellBack: boolean }> {
    const { retrieval, glossary } = this.options;
    const target: Language = retrieval.languages().includes(contentLang) ? contentLang : 'en';
    const glossaryLangs = [...new Set<Language>([lang, target])];
    const matches = glossary?.matches(query, glossaryLangs) ?? [];
    // The course's term for an everyday word, a misspelling or another language's word; not for
    // words the course itself uses everywhere ("AI"), which would only drown the question's own words.
    const expansion = matches
      .filter((m) => !m.covered.every((t) => retrieval.knows(t, target) && retrieval.idf(t, target) < COMMON_TERM_IDF))
      .map((m) => glossary!.entry(m.id, target)?.term)
      .filter((t): t is string => Boolean(t));
    const result = await retrieval.search([topicalWords(query, target), ...expansion].join(' '), target, { k: RERANK_DEPTH, mode });
    const unitsOf = (text: string) =>
      questionUnits({
        question: text,
        lang: result.lang,
        idf: (t) => retrieval.idf(t, result.lang),
        knows: (t) => retrieval.knows(t, result.lang),
        nearestTerm: (t) => retrieval.nearestTerm(t, result.lang),
        glossary,
        glossaryLangs,
        // Matched against another language's course, the question's own words are unknown there:
        // they weigh as names when the learner's language has a course (this is a second try),
        // and are left out when it has none (English is all there is).
        strict: result.lang !== lang && retrieval.languages().includes(lang),
        knownOnly: result.lang !== lang && !retrieval.languages().includes(lang),
        isCourseName: (t) => this.namesOf(result.lang).has(t),
      });
    // A follow-up's own words decide which passage comes first; the words borrowed from the previous question only help,
    // unless the follow-up has hardly any words of its own.
    const share = own && ownTopicTerms(own, lang) <= FEW_OWN_TERMS ? 1 : BORROWED_SHARE;
    const units = own ? borrowedLightly(unitsOf(query), unitsOf(own), share) : unitsOf(query);
    const passages = this.rerank(result.passages, units, result.lang);
    const saysPhrase = (run: string[]) => run.every((t, i) => i === 0 || this.pairsOf(result.lang).has(`${run[i - 1]} ${t}`));
    const judge = (u: QuestionUnits) =>
      assessCoverage({
        question: '',
        lang: result.lang,
        passages,
        idf: () => 0,
        knows: () => false,
        nearestTerm: () => undefined,
        units: u,
        termsOf: (p) => this.termsOf(p),
        sentencesOf: (p) => this.sentencesOf(p),
        saysPhrase,
      });
    const evidence = judge(units);
    let confidence = coverageConfidence(evidence);
    if (topic) confidence = Math.max(confidence, coverageConfidence(judge(unitsOf(topic))));
    return { passages, contentLang: result.lang, confidence, query, evidence, termGroups: units.units, fellBack: result.lang !== lang };
  }

  /**
   * Second stage over the fused candidates: the share of the question a passage covers decides
   * with the fused rank, and a lesson step is preferred to a quiz item or module overview that
   * shares its words (answers are quoted from lessons). BM25 and the embedding each see only
   * their own half of the evidence; coverage counts typos, glossary terms and names as the
   * not-covered decision does, so the passage ranked first is the one that decision judges.
   */
  private rerank(candidates: RetrievedPassage[], units: QuestionUnits, lang: Language): RetrievedPassage[] {
    if (!candidates.length) return candidates;
    const best = candidates[0].score || 1;
    // Half the passage's coverage, half its best sentence's: an answer states the question's terms together.
    const matchOf = (p: RetrievedPassage) => (passageCoverage(units, this.termsOf(p, lang)) + bestSentenceCoverage(units, this.sentencesOf(p))) / 2;
    return candidates
      .map((p) => ({ p, s: (FUSION_SHARE * p.score) / best + matchOf(p) * (KIND_PRIOR[p.chunk.kind] ?? 1) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, this.k)
      .map(({ p }, i) => ({ ...p, rank: i + 1 }));
  }

  private namesOf(lang: Language): Set<string> {
    const cached = this.courseNames.get(lang);
    if (cached) return cached;
    const names = new Set<string>();
    for (const chunk of this.options.retrieval.chunks(lang)) {
      for (const sentence of splitSentences(chunk.text)) {
        const capitalised = wordTokens(sentence)
          .slice(1)
          .filter((w) => /^\p{Lu}/u.test(w));
        for (const word of capitalised) names.add(analyzeWordTerms(word, lang)[0] ?? word);
      }
    }
    this.courseNames.set(lang, names);
    return names;
  }

  private pairsOf(lang: Language): Set<string> {
    const cached = this.coursePairs.get(lang);
    if (cached) return cached;
    const pairs = new Set<string>();
    for (const chunk of this.options.retrieval.chunks(lang)) {
      const words = wordTerms(`${chunk.title}. ${chunk.text}`, lang);
      for (let i = 1; i < words.length; i++) for (const a of words[i - 1]!) for (const b of words[i]!) pairs.add(`${a} ${b}`);
    }
    this.coursePairs.set(lang, pairs);
    return pairs;
  }

  private sentencesOf(p: RetrievedPassage): ReturnType<typeof sentenceTerms> {
    const cached = this.sentenceTermCache.get(p.chunk.id);
    if (cached) return cached;
    const terms = sentenceTerms(p, p.chunk.lang);
    if (this.sentenceTermCache.size >= KEPT_PASSAGES) this.sentenceTermCache.clear();
    this.sentenceTermCache.set(p.chunk.id, terms);
    return terms;
  }

  /**
   * Whether a follow-up is wholly about a glossary term the previous question did not name ("and
   * what is automation bias?"): then it is a new question. One that adds words of its own ("and
   * the new date for standalone high-risk systems?") still continues the previous topic.
   */
  private switchesTopic(question: string, previous: string, lang: Language): boolean {
    const { glossary } = this.options;
    if (!glossary || questionFocus(question) !== 'other') return false;
    const before = new Set(glossary.matches(previous, [lang]).map((m) => m.id));
    const named = glossary.matches(question, [lang]).filter((m) => !before.has(m.id));
    if (!named.length) return false;
    const covered = new Set(named.flatMap((m) => m.covered));
    const own = analyze(question, lang).filter((t) => !isQuestionFraming(t, lang));
    return own.length > 0 && own.every((t) => covered.has(t));
  }

  /** A passage's analysed terms, kept: the same passages come back for question after question. */
  private termsOf(p: RetrievedPassage, lang: Language = p.chunk.lang): Set<string> {
    const cached = this.passageTermCache.get(p.chunk.id);
    if (cached) return cached;
    const terms = passageTerms(p, lang);
    if (this.passageTermCache.size >= KEPT_PASSAGES) this.passageTermCache.clear();
    this.passageTermCache.set(p.chunk.id, terms);
    return terms;
  }

  private notCovered(retrieved: Retrieved, notices: QaNotice[]): QaAnswer {
    const closest: Citation[] = [];
    for (const p of retrieved.passages) {
      if (!p.chunk.lessonId || closest.some((c) => c.lessonId === p.chunk.lessonId)) continue;
      closest.push(citationOf(closest.length + 1, p.chunk));
      if (closest.length === 3) break;
    }
    return { kind: 'not-covered', ...retrieved, closest, notices: notices.filter((n) => n !== 'language-fallback') };
  }

  private async compose(
    llm: LlmPort | undefined,
    question: string,
    lang: Language,
    retrieved: Retrieved,
    notices: QaNotice[],
    signal?: AbortSignal,
    task: 'answer' | 'explain' = 'answer',
    onProgress?: AskInput['onProgress'],
  ): Promise<QaAnswer> {
    const { logger, retrieval } = this.options;
    if (llm) {
      try {
        const passages = retrieved.passages.map((p, i) => ({ n: i + 1, title: passageTitle(p.chunk), text: redactPersonalData(p.chunk.text) }));
        const onText =
          onProgress &&
          sentencesSoFar(
            passages.map((p) => p.text),
            (text) => onProgress({ stage: 'writing', text }),
          );
        const raw = await llm.answer({ question: redactPersonalData(task === 'explain' ? retrieved.passages[0].chunk.title : question), lang, passages, task }, { signal, onText });
        if (raw.trim() === NOT_IN_COURSE_MARKER || raw.includes(NOT_IN_COURSE_MARKER)) return this.notCovered(retrieved, notices);
        // Links, contact details and instructions the passages do not hold never reach the learner; what is left must still cite.
        const checked = checkCitations(
          cleanModelOutput(
            raw,
            passages.map((p) => p.text),
          ),
          passages.length,
        );
        if (checked.used.length) {
          const extra: QaNotice[] = checked.dropped.length ? ['citations-dropped'] : [];
          const citations = checked.used.map((n, i) => citationOf(i + 1, retrieved.passages[n - 1].chunk));
          // The model answers in the learner's language even from English passages: no fallback notice needed then.
          return { kind: 'answer', ...retrieved, text: checked.text, citations, notices: [...notices.filter((n) => n !== 'language-fallback'), ...extra], generator: 'llm' };
        }
        logger?.warn({ dropped: checked.dropped }, 'model answer cited no retrieved passage; using the extractive answer');
      } catch (err) {
        logger?.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, 'model answer failed; using the extractive answer');
      }
      notices = [...notices, 'llm-fallback'];
    }
    const extract = extractiveAnswer({
      question: retrieved.query,
      lang: retrieved.contentLang,
      passages: retrieved.passages,
      idf: (t) => retrieval.idf(t, retrieved.contentLang),
      termGroups: retrieved.termGroups,
    });
    if (!extract.text) return this.notCovered(retrieved, notices);
    const citations = extract.cited.map((p, i) => citationOf(i + 1, p.chunk));
    return { kind: 'answer', ...retrieved, text: extract.text, citations, notices, generator: 'extractive' };
  }
}

/**
 * Collects a streamed model answer and reports its complete sentences, made safe and checked
 * exactly as the final answer is (a sentence the final answer drops is never shown meanwhile);
 * a reply that turns out to be NOT_IN_COURSE shows nothing.
 */
function sentencesSoFar(passages: string[], report: (text: string) => void): (piece: string) => void {
  let raw = '';
  let end = 0;
  let shown = '';
  return (piece) => {
    raw += piece;
    const complete = completeSentencesEnd(raw);
    if (complete <= end || raw.includes(NOT_IN_COURSE_MARKER)) return;
    end = complete;
    const text = checkCitations(cleanModelOutput(raw.slice(0, end), passages), passages.length).text;
    if (text && text !== shown) report((shown = text));
  };
}

const SENTENCE_ENDS = '.!?؟。';

/** Where the text's last complete sentence ends (a line break, or an end mark followed by a space); 0 when none has. */
function completeSentencesEnd(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === '\n') return i;
    if (i < text.length - 1 && SENTENCE_ENDS.includes(text[i]!) && /\s/.test(text[i + 1]!)) return i + 1;
  }
  return 0;
}

export function passageTitle(chunk: Chunk): string {
  return [chunk.moduleTitle, chunk.lessonTitle, chunk.title].filter(Boolean).join(' › ');
}

/** The step's most distinctive words (highest IDF), in their original form. */
function keyWords(step: Chunk, n: number, idf: (term: string) => number): string[] {
  const seen = new Set<string>();
  const scored: { word: string; term: string }[] = [];
  for (const word of wordTokens(step.text)) {
    const term = analyzeWord(word, step.lang);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    scored.push({ word, term });
  }
  return scored
    .sort((a, b) => idf(b.term) - idf(a.term))
    .slice(0, n)
    .map((s) => s.word);
}

/** The words of a text with the highest IDF, in their original form (names and terms, not "what" or "course"). */
function distinctiveWords(text: string, lang: Language, n: number, idf: (term: string) => number): string[] {
  const scored: { word: string; w: number }[] = [];
  const seen = new Set<string>();
  for (const word of wordTokens(text)) {
    const term = analyzeWord(word, lang);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    scored.push({ word, w: idf(term) });
  }
  return scored
    .sort((a, b) => b.w - a.w)
    .slice(0, n)
    .map((s) => s.word);
}

/** How many distinct topic words a question has once its framing words ("when", "year", "how") are left out. */
function ownTopicTerms(question: string, lang: Language): number {
  return new Set(analyze(question, lang).filter((t) => !isQuestionFraming(t, lang))).size;
}

/** The question without its framing and procedural words ("how do I…", "¿cómo puedo…"), so the search matches its object. */
function topicalWords(question: string, lang: Language): string {
  const kept = wordTokens(question).filter((w) => isAcronym(w) || !analyzeWordTerms(w, lang).some((t) => isQuestionFraming(t, lang)));
  return kept.length ? kept.join(' ') : question;
}
