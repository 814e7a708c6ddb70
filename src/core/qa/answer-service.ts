import type { Language } from '../../config/config-schema';
import { NOT_IN_COURSE_MARKER, type LlmPort, type QaExchange } from '../../ports/llm';
import { firstRefusal, type RateLimitPort } from '../../ports/rate-limits';
import { cleanModelOutput } from './untrusted-text';
import type { Chunk, RetrievalMode, RetrievalPort, RetrievedPassage } from '../../ports/retrieval';
import { checkCitations, citationOf, type Citation } from './citations';
import { assessCoverage, coverageConfidence, NOT_COVERED_THRESHOLD, type CoverageEvidence } from './coverage';
import { extractiveAnswer } from './extractive-answerer';
import type { Glossary } from './glossary';
import { isFollowUp } from './follow-up';
import { redactPersonalData } from './pii-redaction';
import { analyze, wordTokens, analyzeWord } from './text-analysis';

/**
 * With a model the retrieval gate is looser: the model reads the passages and replies
 * NOT_IN_COURSE when they do not answer, so retrieval only has to find plausible candidates.
 * 0.25 still stops questions that share no distinctive word with the course (bench/qa-confidence.ts:
 * off-topic median 0.19) from costing a model call.
 */
export const LLM_CONFIDENCE_THRESHOLD = 0.25;

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
}

export type QaAnswer =
  | (Retrieved & { kind: 'answer'; text: string; citations: Citation[]; notices: QaNotice[]; generator: 'extractive' | 'llm' })
  | (Retrieved & { kind: 'not-covered'; closest: Citation[]; notices: QaNotice[] })
  | { kind: 'too-long'; limit: number }
  | { kind: 'empty' }
  | { kind: 'unknown-step' };

export interface AskInput {
  question: string;
  lang: Language;
  history?: QaExchange[];
  /** 'lexical' gives the BM25-only baseline of the eval. */
  retrievalMode?: RetrievalMode;
  /** Who the model's answer is counted against (learner key, tenant); unset: not counted. */
  budget?: ModelBudgetKeys;
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
}

/** How many of the previous question's words a follow-up borrows. */
const TOPIC_WORDS = 4;

/**
 * The channel-neutral Q&A service: retrieves passages in the learner's language (English when
 * that language has no content, with a notice), answers extractively or with the model, checks
 * citations, and says "not covered" rather than guessing.
 */
export class QaService {
  private readonly k: number;

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
    const signal = llm ? AbortSignal.timeout(this.options.llmBudgetMs ?? 10000) : undefined;
    const query = await this.standaloneQuestion(llm, question, input.lang, history, signal);
    const searchText = query.replace(REDACTION_MARKS, ' ').replace(/\s+/g, ' ').trim();
    if (!searchText) return { kind: 'empty' };
    // A follow-up ("and when did it end?") is on the topic of the previous question: the topic decides coverage.
    const topic = query !== question && !llm ? history[history.length - 1]?.question : undefined;
    const retrieved = await this.retrieve(searchText, input.lang, input.retrievalMode, topic);
    const notices: QaNotice[] = [...(retrieved.fellBack ? (['language-fallback'] as const) : []), ...(limited ? (['llm-limited'] as const) : [])];
    if (retrieved.confidence < (llm ? LLM_CONFIDENCE_THRESHOLD : NOT_COVERED_THRESHOLD)) return this.notCovered(retrieved, notices);
    return this.compose(llm, query, input.lang, retrieved, notices, signal);
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
    const query = `${step.title}. ${keyWords(step, 8, (t) => retrieval.idf(t, step.lang)).join(' ')}`;
    const result = await retrieval.search(`${step.title}\n${step.text}`, step.lang, { k: this.k * 4 });
    // Related material from the same lesson (its quiz explanations, neighbouring steps), then the
    // same module, explains a step better than a passage that merely shares words with it.
    const closeness = (c: Chunk) => (c.lessonId && c.lessonId === step.lessonId ? 2 : c.moduleId && c.moduleId === step.moduleId ? 1.4 : 1);
    const related = result.passages
      .filter((p) => p.chunk.id !== step.id)
      .map((p) => ({ ...p, score: p.score * closeness(p.chunk) }))
      .sort((a, b) => b.score - a.score);
    const passages = [{ chunk: step, score: 1, rank: 0 }, ...related].slice(0, this.k).map((p, i) => ({ ...p, rank: i + 1 }));
    const retrieved = { passages, contentLang: step.lang, confidence: 1, query };
    const { llm, limited } = await this.modelFor(budget);
    const notices: QaNotice[] = [...(step.lang !== lang ? (['language-fallback'] as const) : []), ...(limited ? (['llm-limited'] as const) : [])];
    // Offline, repeating the step is no help: quote the related passages from other steps.
    const signal = llm ? AbortSignal.timeout(this.options.llmBudgetMs ?? 10000) : undefined;
    return this.compose(llm, query, lang, llm ? retrieved : { ...retrieved, passages: passages.slice(1) }, notices, signal, 'explain');
  }

  private async standaloneQuestion(llm: LlmPort | undefined, question: string, lang: Language, history: QaExchange[], signal?: AbortSignal): Promise<string> {
    if (!history.length) return question;
    const { logger } = this.options;
    if (llm) {
      try {
        const condensed = await llm.condense({
          question: redactPersonalData(question),
          lang,
          history: history.map((h) => ({ question: redactPersonalData(h.question), answer: redactPersonalData(h.answer) })),
        }, { signal });
        if (condensed.trim()) return condensed.trim().slice(0, this.options.maxQuestionChars);
      } catch (err) {
        logger?.warn({ err: (err as Error).message }, 'condensing a follow-up failed; using the heuristic');
      }
    }
    // Offline: a follow-up borrows the previous question's most distinctive words, and its own
    // words count twice so that they, not the previous topic, decide which passage comes first.
    const last = history[history.length - 1];
    if (!isFollowUp(question) || analyze(question, lang).length > 5) return question;
    const topic = distinctiveWords(last.question, lang, TOPIC_WORDS, (t) => this.options.retrieval.idf(t, lang));
    return topic.length ? `${question} ${question} ${topic.join(' ')}` : question;
  }

  private async retrieve(query: string, lang: Language, mode?: RetrievalMode, topic?: string): Promise<Retrieved & { fellBack: boolean }> {
    const first = await this.retrieveIn(query, lang, lang, mode, topic);
    // A translation in progress may lack the lesson that answers: try the English course before giving up.
    if (first.confidence < NOT_COVERED_THRESHOLD && first.contentLang !== 'en') {
      const english = await this.retrieveIn(query, lang, 'en', mode, topic);
      if (english.confidence >= NOT_COVERED_THRESHOLD) return { ...english, fellBack: true };
    }
    return first;
  }

  /**
   * One search in `contentLang` (English when it has no content), the query expanded with the
   * course's own words for any glossary term the question uses in the learner's or the content's
   * language, and the evidence for the not-covered decision.
   */
  private async retrieveIn(query: string, lang: Language, contentLang: Language, mode?: RetrievalMode, topic?: string): Promise<Retrieved & { fellBack: boolean }> {
    const { retrieval, glossary } = this.options;
    const target: Language = retrieval.languages().includes(contentLang) ? contentLang : 'en';
    const glossaryLangs = [...new Set<Language>([lang, target])];
    const expansion = (glossary?.matches(query, glossaryLangs) ?? []).map((m) => glossary!.entry(m.id, target)?.term).filter((t): t is string => Boolean(t));
    const result = await retrieval.search([query, ...expansion].join(' '), target, { k: this.k, mode });
    const judge = (text: string) =>
      assessCoverage({
        question: text,
        lang: result.lang,
        passages: result.passages,
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
      });
    const evidence = judge(query);
    let confidence = coverageConfidence(evidence);
    if (topic) confidence = Math.max(confidence, coverageConfidence(judge(topic)));
    return { passages: result.passages, contentLang: result.lang, confidence, query, evidence, fellBack: result.lang !== lang };
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

  private async compose(llm: LlmPort | undefined, question: string, lang: Language, retrieved: Retrieved, notices: QaNotice[], signal?: AbortSignal, task: 'answer' | 'explain' = 'answer'): Promise<QaAnswer> {
    const { logger, retrieval } = this.options;
    if (llm) {
      try {
        const passages = retrieved.passages.map((p, i) => ({ n: i + 1, title: passageTitle(p.chunk), text: redactPersonalData(p.chunk.text) }));
        const raw = await llm.answer({ question: redactPersonalData(task === 'explain' ? retrieved.passages[0].chunk.title : question), lang, passages, task }, { signal });
        if (raw.trim() === NOT_IN_COURSE_MARKER || raw.includes(NOT_IN_COURSE_MARKER)) return this.notCovered(retrieved, notices);
        // Links, contact details and instructions the passages do not hold never reach the learner; what is left must still cite.
        const checked = checkCitations(cleanModelOutput(raw, passages.map((p) => p.text)), passages.length);
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
    const extract = extractiveAnswer({ question: retrieved.query, lang: retrieved.contentLang, passages: retrieved.passages, idf: (t) => retrieval.idf(t, retrieved.contentLang) });
    if (!extract.text) return this.notCovered(retrieved, notices);
    const citations = extract.cited.map((p, i) => citationOf(i + 1, p.chunk));
    return { kind: 'answer', ...retrieved, text: extract.text, citations, notices, generator: 'extractive' };
  }
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
  return scored.sort((a, b) => idf(b.term) - idf(a.term)).slice(0, n).map((s) => s.word);
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
  return scored.sort((a, b) => b.w - a.w).slice(0, n).map((s) => s.word);
}
