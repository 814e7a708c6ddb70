import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../config/config-schema';
import { CodedError } from '../../errors/coded-error';

/**
 * Exact cosine search for the local embedding, one inverted list per language. Its vectors are
 * sparse (about 300 of 2,048 buckets set in a passage, 10–30 in a question), so scoring only the
 * postings of the question's buckets is exact and costs tens of microseconds, where HNSW over the
 * dense vectors of every language cost about a millisecond a question, and the lists hold each
 * passage's weights in about a third of the dense vector's 8 KB (which matters at 50× the course).
 */
export interface VectorHit {
  id: string;
  /** Cosine distance, 1 − similarity (as HNSWLib reports it). */
  distance: number;
}

interface LanguageLists {
  ids: string[];
  /** Postings of bucket b: docs/weights[offsets[b] .. offsets[b + 1]). */
  offsets: Uint32Array;
  docs: Uint32Array;
  weights: Float32Array;
}

const FORMAT = 1;
const HEADER_FILE = 'sparse-vectors.json';
const DATA_FILE = 'sparse-vectors.bin';

interface Header {
  format: number;
  dimensions: number;
  languages: { lang: Language; ids: string[]; postings: number }[];
}

export class SparseVectorIndex {
  private constructor(
    readonly dimensions: number,
    private readonly lists: Map<Language, LanguageLists>,
  ) {}

  /** Collects the passages' unit vectors one at a time, keeping only their non-zero buckets. */
  static builder(): { add(id: string, lang: Language, vector: ArrayLike<number>): void; finish(): SparseVectorIndex } {
    const byLang = new Map<Language, { ids: string[]; buckets: Uint32Array[]; values: Float32Array[] }>();
    let dimensions = 0;
    return {
      add(id, lang, vector) {
        dimensions ||= vector.length;
        const list = byLang.get(lang) ?? { ids: [], buckets: [], values: [] };
        byLang.set(lang, list);
        const set: number[] = [];
        for (let b = 0; b < dimensions; b++) if (vector[b] !== 0) set.push(b);
        list.ids.push(id);
        list.buckets.push(Uint32Array.from(set));
        list.values.push(Float32Array.from(set, (b) => vector[b]));
      },
      finish() {
        const lists = new Map<Language, LanguageLists>();
        for (const [lang, { ids, buckets, values }] of byLang) {
          const offsets = new Uint32Array(dimensions + 1);
          for (const set of buckets) for (const b of set) offsets[b + 1]++;
          for (let b = 0; b < dimensions; b++) offsets[b + 1] += offsets[b];
          const docs = new Uint32Array(offsets[dimensions]);
          const weights = new Float32Array(offsets[dimensions]);
          const fill = offsets.slice(0, dimensions);
          buckets.forEach((set, doc) => {
            set.forEach((b, i) => {
              docs[fill[b]] = doc;
              weights[fill[b]++] = values[doc][i];
            });
          });
          lists.set(lang, { ids, offsets, docs, weights });
        }
        return new SparseVectorIndex(dimensions, lists);
      },
    };
  }

  /** The `k` passages of `lang` closest to the query vector; passages sharing no bucket with it are no match. */
  search(vector: ArrayLike<number>, lang: Language, k: number): VectorHit[] {
    const lists = this.lists.get(lang);
    if (!lists) return [];
    const { ids, offsets, docs, weights } = lists;
    const scores = new Float32Array(ids.length);
    const seen = new Uint8Array(ids.length);
    const touched: number[] = [];
    for (let b = 0; b < this.dimensions; b++) {
      const q = vector[b];
      if (!q) continue;
      for (let p = offsets[b]; p < offsets[b + 1]; p++) {
        const doc = docs[p];
        if (!seen[doc]) {
          seen[doc] = 1;
          touched.push(doc);
        }
        scores[doc] += q * weights[p];
      }
    }
    // A small sorted top-k (ties in passage order): most touched passages fall below the k-th at once.
    const better = (a: number, b: number) => scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
    const top: number[] = [];
    for (const doc of touched) {
      if (top.length === k && !better(doc, top[k - 1])) continue;
      if (top.length < k) top.push(doc);
      else top[k - 1] = doc;
      for (let i = top.length - 1; i > 0 && better(top[i], top[i - 1]); i--) [top[i], top[i - 1]] = [top[i - 1], top[i]];
    }
    return top.map((doc) => ({ id: ids[doc], distance: 1 - scores[doc] }));
  }

  save(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const header: Header = { format: FORMAT, dimensions: this.dimensions, languages: [...this.lists].map(([lang, l]) => ({ lang, ids: l.ids, postings: l.docs.length })) };
    const parts: Buffer[] = [];
    for (const l of this.lists.values()) parts.push(bytes(l.offsets), bytes(l.docs), bytes(l.weights));
    fs.writeFileSync(path.join(dir, DATA_FILE), Buffer.concat(parts));
    fs.writeFileSync(path.join(dir, HEADER_FILE), JSON.stringify(header));
  }

  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, HEADER_FILE));
  }

  static load(dir: string): SparseVectorIndex {
    const header = JSON.parse(fs.readFileSync(path.join(dir, HEADER_FILE), 'utf8')) as Header;
    if (header.format !== FORMAT) throw new CodedError('index-invalid', `${HEADER_FILE}: format ${String(header.format)}, expected ${FORMAT}`);
    const data = fs.readFileSync(path.join(dir, DATA_FILE));
    const expected = header.languages.reduce((n, l) => n + 4 * (header.dimensions + 1) + 8 * l.postings, 0);
    if (data.length !== expected) throw new CodedError('index-invalid', `${DATA_FILE}: ${data.length} bytes, expected ${expected}`);
    const lists = new Map<Language, LanguageLists>();
    let at = data.byteOffset;
    const take = <T>(Kind: new (buffer: ArrayBuffer, offset: number, length: number) => T, length: number): T => {
      // Copied out of Node's pooled buffer so each array is aligned and owns its memory.
      const copy = data.buffer.slice(at, at + 4 * length);
      at += 4 * length;
      return new Kind(copy, 0, length);
    };
    for (const l of header.languages) {
      const offsets = take(Uint32Array, header.dimensions + 1);
      lists.set(l.lang, { ids: l.ids, offsets, docs: take(Uint32Array, l.postings), weights: take(Float32Array, l.postings) });
    }
    return new SparseVectorIndex(header.dimensions, lists);
  }
}

const bytes = (array: Uint32Array | Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
