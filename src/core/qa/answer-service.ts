import type { Language } from '../../config/config-schema';
import { NOT_IN_COURSE_MARKER, type LlmPort, type QaExchange } from '../../ports/llm';
import type { Chunk, RetrievalMode, RetrievalPort, RetrievedPassage } from '../../ports/retrieval';
import { checkCitations, citationOf, type Citation } from './citations';
import { CONFIDENCE_THRESHOLD, extractiveAnswer, retrievalConfidence } from './extractive-answerer';
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

export type QaNotice = 'language-fallback' | 'llm-fallback' | 'citations-dropped';

interface Retrieved {
  passages: RetrievedPassage[];
  /** Language of the passages (and of an extractive answer). */
  contentLang: Language;
  confidence: number;
  /** The text that was searched (a condensed follow-up, or the question). */
  query: string;
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
}

interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export interface QaServiceOptions {
  retrieval: RetrievalPort;
  /** Unset: offline, extractive answers only. */
  llm?: LlmPort;
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
}

/** Words that make a short question a follow-up of the previous one ("and when did it start?"). */
const FOLLOW_UP = /^(and|but|so|y|e|et|mais|pero|mas|و)\b|\b(it|its|it's|they|them|their|this|that|these|those|he|she|his|her|there|ello|eso|esto|esta|este|él|ella|ellos|il|elle|ils|cela|ça|celui|celle|isso|isto|ele|ela|eles|dele|dela)\b|^و|(هذا|هذه|ذلك|تلك|هو|هي)/i;

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

  async ask(input: AskInput): Promise<QaAnswer> {
    const typed = input.question.trim();
    if (!typed) return { kind: 'empty' };
    if (typed.length > this.options.maxQuestionChars) return { kind: 'too-long', limit: this.options.maxQuestionChars };
    // Personal data never helps retrieval and must not reach a model: it goes before anything else.
    const question = redactPersonalData(typed);
    const history = (input.history ?? []).slice(-3);
    const signal = this.options.llm ? AbortSignal.timeout(this.options.llmBudgetMs ?? 10000) : undefined;
    const query = await this.standaloneQuestion(question, input.lang, history, signal);
    const searchText = query.replace(REDACTION_MARKS, ' ').replace(/\s+/g, ' ').trim();
    if (!searchText) return { kind: 'empty' };
    // A follow-up ("and when did it end?") is on the topic of the previous question: the topic decides coverage.
    const topic = query !== question && !this.options.llm ? history[history.length - 1]?.question : undefined;
    const retrieved = await this.retrieve(searchText, input.lang, input.retrievalMode, topic);
    const notices: QaNotice[] = retrieved.fellBack ? ['language-fallback'] : [];
    if (retrieved.confidence < (this.options.llm ? LLM_CONFIDENCE_THRESHOLD : CONFIDENCE_THRESHOLD)) return this.notCovered(retrieved, notices);
    return this.compose(query, input.lang, retrieved, notices, signal);
  }


  /** "Explain more" about a step: related passages from elsewhere in the course, or the model's fuller explanation. */
  async explain(stepId: string, lang: Language): Promise<QaAnswer> {
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
    const notices: QaNotice[] = step.lang !== lang ? ['language-fallback'] : [];
    // Offline, repeating the step is no help: quote the related passages from other steps.
    const signal = this.options.llm ? AbortSignal.timeout(this.options.llmBudgetMs ?? 10000) : undefined;
    return this.compose(query, lang, this.options.llm ? retrieved : { ...retrieved, passages: passages.slice(1) }, notices, signal, 'explain');
  }

  private async standaloneQuestion(question: string, lang: Language, history: QaExchange[], signal?: AbortSignal): Promise<string> {
    if (!history.length) return question;
    const { llm, logger } = this.options;
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
    // Offline: a short question with a pronoun borrows the previous question's words.
    const last = history[history.length - 1];
    const contentTerms = analyze(question, lang).length;
    return contentTerms <= 3 && FOLLOW_UP.test(question.trim()) ? `${question} ${last.question}` : question;
  }

  private async retrieve(query: string, lang: Language, mode?: RetrievalMode, topic?: string): Promise<Retrieved & { fellBack: boolean }> {
    const { retrieval } = this.options;
    const result = await retrieval.search(query, lang, { k: this.k, mode });
    // A question in a language without content is matched against English: judge it on the words English knows.
    const known = result.fellBack ? (t: string) => retrieval.knows(t, result.lang) : undefined;
    const idf = (t: string) => retrieval.idf(t, result.lang);
    const confidence = Math.max(
      retrievalConfidence(query, result.lang, result.passages, idf, known),
      topic ? retrievalConfidence(topic, result.lang, result.passages, idf, known) : 0,
    );
    const first = { passages: result.passages, contentLang: result.lang, confidence, query, fellBack: result.fellBack };
    // A translation in progress may lack the lesson that answers: try the English course before giving up.
    if (confidence < CONFIDENCE_THRESHOLD && result.lang !== 'en') {
      const english = await retrieval.search(query, 'en', { k: this.k, mode });
      const c = retrievalConfidence(query, 'en', english.passages, (t) => retrieval.idf(t, 'en'));
      if (c >= CONFIDENCE_THRESHOLD) return { passages: english.passages, contentLang: 'en', confidence: c, query, fellBack: true };
    }
    return first;
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

  private async compose(question: string, lang: Language, retrieved: Retrieved, notices: QaNotice[], signal?: AbortSignal, task: 'answer' | 'explain' = 'answer'): Promise<QaAnswer> {
    const { llm, logger, retrieval } = this.options;
    if (llm) {
      try {
        const passages = retrieved.passages.map((p, i) => ({ n: i + 1, title: passageTitle(p.chunk), text: redactPersonalData(p.chunk.text) }));
        const raw = await llm.answer({ question: redactPersonalData(task === 'explain' ? retrieved.passages[0].chunk.title : question), lang, passages, task }, { signal });
        if (raw.trim() === NOT_IN_COURSE_MARKER || raw.includes(NOT_IN_COURSE_MARKER)) return this.notCovered(retrieved, notices);
        const checked = checkCitations(raw, passages.length);
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
