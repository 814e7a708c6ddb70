import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Language } from '../../config/config-schema';
import type { Chunk, RetrievalPort, RetrievalResult, SearchOptions } from '../../ports/retrieval';
import { reciprocalRankFusion } from './fusion';
import type { LexicalIndex } from './lexical-index';
import type { SparseVectorIndex, VectorHit } from './sparse-vector-index';
import { CodedError } from '../../errors/coded-error';

/** How deep each retriever looks before fusion. */
const CANDIDATE_DEPTH = 20;
/**
 * The vector list's weight in the fusion (lexical = 1). Measured on our own held-out questions
 * (bench/qa-heldout.jsonl, 45 questions in four languages), not the eval file: MRR@5 0.96 at
 * 1.0, 0.99 at 0.7 and at 0.5; answers passed at all three. BM25 is precise on this terminology-
 * heavy course; the local embedding adds recall for paraphrases and cross-language names.
 */
const VECTOR_WEIGHT = 0.7;

/**
 * Lexical (BM25) and vector (HNSWLib) retrieval fused with reciprocal rank fusion, filtered to
 * one language; a language without content falls back to English and says so.
 */
export class HybridRetriever implements RetrievalPort {
  private readonly byId = new Map<string, Chunk>();
  private readonly byLang = new Map<Language, Chunk[]>();
  /** Told when vector search fails (the answer then uses the lexical list alone). */
  onVectorError?: (err: unknown) => void;

  constructor(
    chunks: Chunk[],
    private readonly lexical: LexicalIndex,
    private readonly vector: VectorSearch,
  ) {
    for (const chunk of chunks) {
      this.byId.set(chunk.id, chunk);
      // Appended in place: copying the list for every passage was seconds of each start at 50× the course.
      const list = this.byLang.get(chunk.lang);
      if (list) list.push(chunk);
      else this.byLang.set(chunk.lang, [chunk]);
    }
  }

  languages(): Language[] {
    return [...this.byLang.keys()];
  }

  chunk(id: string): Chunk | undefined {
    return this.byId.get(id);
  }

  chunks(lang: Language): Chunk[] {
    return this.byLang.get(lang) ?? [];
  }

  idf(term: string, lang: Language): number {
    return this.lexical.idf(term, lang);
  }

  knows(term: string, lang: Language): boolean {
    return this.lexical.knows(term, lang);
  }

  nearestTerm(term: string, lang: Language): string | undefined {
    return this.lexical.nearestTerm(term, lang);
  }

  async search(query: string, lang: Language, options: SearchOptions = {}): Promise<RetrievalResult> {
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const target: Language = this.byLang.has(lang) ? lang : 'en';
    const lists: { ids: string[]; weight?: number }[] = [];
    const lexicalIds = mode !== 'vector' ? this.lexical.search(query, target, CANDIDATE_DEPTH).map((h) => h.id) : [];
    if (mode !== 'vector') lists.push({ ids: lexicalIds });
    // The not-covered decision weighs how far the retrievers agree and how close the vector match is.
    const similarity = new Map<string, number>();
    let vectorIds: string[] = [];
    if (mode !== 'lexical') {
      try {
        const depth = Math.min(CANDIDATE_DEPTH, this.byId.size);
        const hits = await this.vector.search(query, depth, target);
        vectorIds = hits.map((hit) => hit.id);
        for (const hit of hits) similarity.set(hit.id, 1 - hit.distance);
        lists.push({ ids: vectorIds, weight: VECTOR_WEIGHT });
      } catch (err) {
        // A provider embedding that is unreachable must not stop answers: BM25 alone still works.
        this.onVectorError?.(err);
      }
    }
    const fused = reciprocalRankFusion(lists).filter((f) => this.byId.has(f.id));
    return {
      lang: target,
      fellBack: target !== lang,
      passages: fused.slice(0, k).map((f, i) => ({
        chunk: this.byId.get(f.id)!,
        score: f.score,
        rank: i + 1,
        lexicalRank: rankIn(lexicalIds, f.id),
        vectorRank: rankIn(vectorIds, f.id),
        vectorSimilarity: similarity.get(f.id),
      })),
    };
  }
}

function rankIn(ids: string[], id: string): number | undefined {
  const at = ids.indexOf(id);
  return at >= 0 ? at + 1 : undefined;
}

/** The `depth` passages of one language nearest to a query. */
export interface VectorSearch {
  search(query: string, depth: number, lang: Language): Promise<VectorHit[]>;
}

/** For the local embedding, whose vectors are sparse: exact search over inverted lists (sparse-vector-index.ts). */
export class SparseVectorSearch implements VectorSearch {
  constructor(
    private readonly embeddings: EmbeddingsInterface,
    private readonly index: SparseVectorIndex,
  ) {}

  async search(query: string, depth: number, lang: Language): Promise<VectorHit[]> {
    return this.index.search(await this.embeddings.embedQuery(query), lang, depth);
  }
}

/** For a provider's dense embeddings: HNSWLib, filtered by language. */
export class HnswVectorSearch implements VectorSearch {
  /** Per HNSW label: the passage id and language (read once from the vector store's documents). */
  private labels?: { ids: string[]; langs: string[] };

  constructor(private readonly store: HNSWLib) {}

  /**
   * The same search as HNSWLib's similaritySearchWithScore filtered by language, but the filter
   * (called by hnswlib for every candidate it visits) reads a label table rather than looking
   * each candidate up in the docstore.
   */
  async search(query: string, depth: number, target: Language): Promise<VectorHit[]> {
    const store = this.store;
    if (!store._index) {
      const hits = await store.similaritySearchWithScore(query, depth, (doc) => doc.metadata.lang === target);
      return hits.map(([doc, distance]) => ({ id: String(doc.metadata.id), distance }));
    }
    const vector = await store.embeddings.embedQuery(query);
    if (store.args.numDimensions && vector.length !== store.args.numDimensions) {
      throw new CodedError('embedding_mismatch', `Query vector must have the same length as the number of dimensions (${store.args.numDimensions})`);
    }
    if (!this.labels) {
      const ids: string[] = [];
      const langs: string[] = [];
      for (const [label, doc] of store.docstore._docs) {
        ids[Number(label)] = String(doc.metadata.id);
        langs[Number(label)] = String(doc.metadata.lang);
      }
      this.labels = { ids, langs };
    }
    const { ids, langs } = this.labels;
    const k = Math.min(depth, store.index.getCurrentCount());
    const result = store.index.searchKnn(vector, k, (label: number) => langs[label] === target);
    return result.neighbors.map((label, i) => ({ id: ids[label]!, distance: result.distances[i]! }));
  }
}
