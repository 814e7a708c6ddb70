import type { Language } from '../config/config-schema';

/** What a chunk of indexed text is: a lesson step, a quiz explanation, course/module text, or an extra reference document. */
export type ChunkKind = 'step' | 'quiz' | 'course' | 'module' | 'reference';

/** One retrievable passage with the metadata needed to cite it. */
export interface Chunk {
  /** Stable id, unique across languages, e.g. "en:m1-l2-s3". */
  id: string;
  lang: Language;
  kind: ChunkKind;
  moduleId?: string;
  moduleTitle?: string;
  lessonId?: string;
  lessonTitle?: string;
  stepId?: string;
  title: string;
  text: string;
  /** Source file relative to the knowledge or references folder. */
  source: string;
}

export interface RetrievedPassage {
  chunk: Chunk;
  /** Fused score (higher is better). */
  score: number;
  /** 1-based rank in the fused list. */
  rank: number;
  /** 1-based rank in the lexical list (undefined when that retriever did not find it). */
  lexicalRank?: number;
  /** 1-based rank in the vector list. */
  vectorRank?: number;
  /** Cosine similarity to the query in the vector index (1 = same direction). */
  vectorSimilarity?: number;
}

export type RetrievalMode = 'hybrid' | 'lexical' | 'vector';

export interface RetrievalResult {
  passages: RetrievedPassage[];
  /** The language of the passages: the requested one, or English when that language has no content. */
  lang: Language;
  fellBack: boolean;
}

export interface SearchOptions {
  k?: number;
  mode?: RetrievalMode;
}

/** Hybrid retrieval over the course and reference chunks. */
export interface RetrievalPort {
  search(query: string, lang: Language, options?: SearchOptions): Promise<RetrievalResult>;
  /** Languages that have indexed content. */
  languages(): Language[];
  /** Inverse document frequency of an analysed term in one language's chunks (0 when unknown). */
  idf(term: string, lang: Language): number;
  /** True when the term occurs in that language's chunks. */
  knows(term: string, lang: Language): boolean;
  /** The known term closest in spelling to an unknown one (a typo), if any. */
  nearestTerm(term: string, lang: Language): string | undefined;
  /** A chunk by id, e.g. the current step for "explain more". */
  chunk(id: string): Chunk | undefined;
  /** Every chunk of one language (for "closest lessons" and tests). */
  chunks(lang: Language): Chunk[];
}
