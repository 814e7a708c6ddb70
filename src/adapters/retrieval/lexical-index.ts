import MiniSearch from 'minisearch';
import type { Language } from '../../config/config-schema';
import type { Chunk } from '../../ports/retrieval';
import { analyze } from '../../core/qa/text-analysis';
import { editDistance } from '../../core/text-normalize';
import { CodedError } from '../../errors/coded-error';

/**
 * Typos and word forms: terms are Snowball stems, so "regulation"/"regulatory" already meet; a
 * stem of PREFIX_MIN letters or more also matches longer stems ("pseudonym" → "pseudonymis"), and
 * one of FUZZY_MIN letters or more matches stems one edit away (two from FUZZY_TWO): "stratgy" →
 * "strategi". Short stems match only themselves, or "ai" would match "am", "an" and "at". Arabic
 * stems are shorter (roots of three or four letters), so it needs one letter more for each.
 */
const PREFIX_MIN: Record<Language, number> = { en: 5, es: 5, fr: 5, pt: 5, ar: 5 };
const FUZZY_MIN: Record<Language, number> = { en: 5, es: 5, fr: 5, pt: 5, ar: 6 };
const FUZZY_TWO: Record<Language, number> = { en: 9, es: 9, fr: 9, pt: 9, ar: 11 };

/** Shorter unknown stems are not corrected: at four or five letters one edit reaches too many words. */
const TYPO_MIN_LENGTH = 6;

export function fuzzyDistance(term: string, lang: Language): number {
  if (/\d/.test(term) || term.length < FUZZY_MIN[lang]) return 0;
  return term.length >= FUZZY_TWO[lang] ? 2 : 1;
}

const LEXICAL_FORMAT = 1;

/** Corrections remembered (see nearestTerm). */
const NEAREST_KEPT = 10_000;

export interface SerializedLexicalIndex {
  version: number;
  languages: { lang: Language; count: number; index: string; documentFrequency: [string, number][] }[];
}

function miniSearchOptions(lang: Language) {
  return {
    fields: ['title', 'text'],
    idField: 'id',
    tokenize: (text: string) => analyze(text, lang),
    processTerm: (term: string) => term,
    searchOptions: {
      boost: { title: 2 },
      combineWith: 'OR' as const,
      prefix: (term: string) => term.length >= PREFIX_MIN[lang],
      fuzzy: (term: string) => fuzzyDistance(term, lang),
      weights: { fuzzy: 0.4, prefix: 0.3 },
    },
  };
}

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
  private readonly nearest = new Map<string, string | undefined>();

  private constructor() {}

  /** Indexes the passages (at build time; a fresh index on disk is loaded with fromJSON). */
  static build(chunks: Chunk[]): LexicalIndex {
    const lexical = new LexicalIndex();
    const byLang = new Map<Language, Chunk[]>();
    for (const chunk of chunks) {
      const list = byLang.get(chunk.lang);
      if (list) list.push(chunk);
      else byLang.set(chunk.lang, [chunk]);
    }
    for (const [lang, list] of byLang) {
      const index = new MiniSearch<Chunk>(miniSearchOptions(lang));
      index.addAll(list);
      lexical.indexes.set(lang, index);
      const df = new Map<string, number>();
      for (const chunk of list) for (const term of new Set(analyze(`${chunk.title} ${chunk.text}`, lang))) df.set(term, (df.get(term) ?? 0) + 1);
      lexical.documentFrequency.set(lang, df);
      lexical.counts.set(lang, list.length);
    }
    return lexical;
  }

  /**
   * The serialised index (MiniSearch's own JSON, plus term document frequencies), stored beside
   * the vector index so a start with unchanged content loads it instead of re-analysing every passage.
   */
  toJSON(): SerializedLexicalIndex {
    return {
      version: LEXICAL_FORMAT,
      languages: [...this.indexes].map(([lang, index]) => ({
        lang,
        count: this.counts.get(lang) ?? 0,
        index: JSON.stringify(index),
        documentFrequency: [...(this.documentFrequency.get(lang) ?? [])],
      })),
    };
  }

  static fromJSON(data: SerializedLexicalIndex): LexicalIndex {
    if (data.version !== LEXICAL_FORMAT) throw new CodedError('index-invalid', `lexical index format ${String(data.version)}, expected ${LEXICAL_FORMAT}`);
    const lexical = new LexicalIndex();
    for (const entry of data.languages) {
      lexical.indexes.set(entry.lang, MiniSearch.loadJSON<Chunk>(entry.index, miniSearchOptions(entry.lang)));
      lexical.documentFrequency.set(entry.lang, new Map(entry.documentFrequency));
      lexical.counts.set(entry.lang, entry.count);
    }
    return lexical;
  }

  search(query: string, lang: Language, k: number): LexicalHit[] {
    const index = this.indexes.get(lang);
    if (!index) return [];
    return index
      .search(query)
      .slice(0, k)
      .map((r) => ({ id: String(r.id), score: r.score }));
  }

  /**
   * The known term closest to an unknown one (a typo): within fuzzyDistance edits, the most
   * frequent wins. Undefined for known, short or numeric terms, or when nothing is close.
   */
  nearestTerm(term: string, lang: Language): string | undefined {
    const df = this.documentFrequency.get(lang);
    if (!df || df.has(term) || term.length < TYPO_MIN_LENGTH) return undefined;
    const key = `${lang}:${term}`;
    if (this.nearest.has(key)) return this.nearest.get(key);
    const max = fuzzyDistance(term, lang);
    let best: { term: string; d: number; df: number } | undefined;
    for (const [known, count] of df) {
      // Typists rarely get the first letter wrong; requiring it keeps "bread" from becoming "read".
      if (known[0] !== term[0] || Math.abs(known.length - term.length) > max || /\d/.test(known)) continue;
      const d = editDistance(term, known, max);
      if (d <= max && (!best || d < best.d || (d === best.d && count > best.df))) best = { term: known, d, df: count };
    }
    if (this.nearest.size > 20000) this.nearest.clear();
    // Learners' typos are endless; past the bound the cache starts over rather than growing with them.
    if (this.nearest.size >= NEAREST_KEPT) this.nearest.clear();
    this.nearest.set(key, best?.term);
    return best?.term;
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
