import MiniSearch from 'minisearch';
import type { Language } from '../../config/config-schema';
import type { Chunk } from '../../ports/retrieval';
import { analyze } from '../../core/qa/text-analysis';

export interface LexicalHit {
  id: string;
  score: number;
}

/**
 * BM25 lexical index (MiniSearch's BM25+), one per language so that each language gets its
 * own analysis (stop words, Snowball stemming, accent folding, Arabic normalisation).
 * Titles count double: a step titled "FAIR data" is about FAIR data.
 */
export class LexicalIndex {
  private readonly indexes = new Map<Language, MiniSearch<Chunk>>();
  private readonly documentFrequency = new Map<Language, Map<string, number>>();
  private readonly counts = new Map<Language, number>();

  constructor(chunks: Chunk[]) {
    const byLang = new Map<Language, Chunk[]>();
    for (const chunk of chunks) byLang.set(chunk.lang, [...(byLang.get(chunk.lang) ?? []), chunk]);
    for (const [lang, list] of byLang) {
      const index = new MiniSearch<Chunk>({
        fields: ['title', 'text'],
        idField: 'id',
        tokenize: (text) => analyze(text, lang),
        processTerm: (term) => term,
        searchOptions: { boost: { title: 2 }, combineWith: 'OR', prefix: false, fuzzy: false },
      });
      index.addAll(list);
      this.indexes.set(lang, index);
      const df = new Map<string, number>();
      for (const chunk of list) for (const term of new Set(analyze(`${chunk.title} ${chunk.text}`, lang))) df.set(term, (df.get(term) ?? 0) + 1);
      this.documentFrequency.set(lang, df);
      this.counts.set(lang, list.length);
    }
  }

  search(query: string, lang: Language, k: number): LexicalHit[] {
    const index = this.indexes.get(lang);
    if (!index) return [];
    return index
      .search(query)
      .slice(0, k)
      .map((r) => ({ id: String(r.id), score: r.score }));
  }

  knows(term: string, lang: Language): boolean {
    return this.documentFrequency.get(lang)?.has(term) ?? false;
  }

  /** Smoothed inverse document frequency of an analysed term. */
  idf(term: string, lang: Language): number {
    const n = this.counts.get(lang) ?? 0;
    if (!n) return 0;
    const df = this.documentFrequency.get(lang)?.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}
