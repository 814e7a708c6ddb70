import { Embeddings } from '@langchain/core/embeddings';
import { foldText, isStopWordInAnyLanguage, wordTokens } from '../../core/qa/text-analysis';
import { CodedError } from '../../errors/coded-error';

/**
 * The default embedding: no download, no network. Hashed word, word-pair and character-trigram
 * features (signed feature hashing) with sublinear term frequency and an inverse document
 * frequency per hash bucket fitted on the corpus at index time, L2-normalised so that cosine
 * distance in HNSWLib behaves like TF-IDF cosine similarity. Character trigrams give some
 * robustness to inflection and spelling in all five languages without a language-specific stemmer.
 */
export interface LocalEmbeddingState {
  dimensions: number;
  idf: number[];
}

export const LOCAL_EMBEDDING_VERSION = 'local-hash-tfidf-v1';

export class LocalHashEmbeddings extends Embeddings {
  private readonly dimensions: number;
  private readonly idf: Float64Array;

  constructor(state: LocalEmbeddingState) {
    super({});
    if (state.idf.length !== state.dimensions) throw new CodedError('embedding_mismatch', 'local embedding state: idf length differs from dimensions');
    this.dimensions = state.dimensions;
    this.idf = Float64Array.from(state.idf);
  }

  /** Fits bucket IDF on the documents that will be indexed. */
  static fit(texts: string[], dimensions = 2048): LocalHashEmbeddings {
    const df = new Float64Array(dimensions);
    for (const text of texts) {
      const seen = new Set<number>();
      for (const feature of features(text).keys()) seen.add(bucketOf(feature, dimensions).index);
      for (const b of seen) df[b]++;
    }
    const n = texts.length;
    const idf = Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
    return new LocalHashEmbeddings({ dimensions, idf });
  }

  get id(): string {
    return `${LOCAL_EMBEDDING_VERSION}-d${this.dimensions}`;
  }

  toJSON(): LocalEmbeddingState {
    return { dimensions: this.dimensions, idf: Array.from(this.idf) };
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  embed(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    for (const [feature, { count, weight }] of features(text)) {
      const { index, sign } = bucketOf(feature, this.dimensions);
      vector[index] += sign * weight * (1 + Math.log(count)) * this.idf[index];
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (v) => v / norm);
  }
}

function features(text: string): Map<string, { count: number; weight: number }> {
  const out = new Map<string, { count: number; weight: number }>();
  const add = (key: string, weight: number) => {
    const f = out.get(key);
    if (f) f.count++;
    else out.set(key, { count: 1, weight });
  };
  const words = wordTokens(foldText(text)).filter((w) => (w.length > 1 || /\d/.test(w)) && !isStopWordInAnyLanguage(w));
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    add(`w:${w}`, 1);
    if (i > 0) add(`b:${words[i - 1]}_${w}`, 0.5);
    if (w.length > 3) {
      const padded = `^${w}$`;
      for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.25);
    }
  }
  return out;
}

/** FNV-1a 32-bit hash; the lowest bit chooses the sign so that collisions tend to cancel. */
function bucketOf(feature: string, dimensions: number): { index: number; sign: number } {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return { index: (h >>> 1) % dimensions, sign: h & 1 ? -1 : 1 };
}
