import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../config/config-schema';
import { CodedError } from '../../errors/coded-error';

/**
 * Exact cosine search for the local embedding, one inverted list per language. Its vectors are
 * sparse (about 300 of 2,048 buckets set in a passage, 10–30 in a question), so scoring only the
 * postings of the question's buckets costs tens of microseconds, where HNSW over the dense vectors
 * of every language cost about a millisecond a question. A posting is 4 bytes, not 8 (at 50× the
 * course, 129,000 passages of about 400 buckets, that is 200 MB less): its passage as a 16-bit
 * number while a language has at most 65,536 passages, and its weight in 16 bits, a fraction of its
 * bucket's largest weight, so scores stay within about 1e-5 of the exact cosine.
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
  /** Per bucket, the weight a stored 1 stands for: its largest |weight| / 32767 (weights are signed). */
  steps: Float32Array;
  docs: Uint16Array | Uint32Array;
  weights: Int16Array;
}

/** 2: 16-bit passages (when they fit) and weights. */
const FORMAT = 2;
const HEADER_FILE = 'sparse-vectors.json';
const DATA_FILE = 'sparse-vectors.bin';
/** Passages a 16-bit doc number can address. */
const NARROW_DOCS = 0x10000;
const QUANTUM = 32767;

interface Header {
  format: number;
  dimensions: number;
  languages: { lang: Language; ids: string[]; postings: number; wideDocs: boolean }[];
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
          const largest = new Float32Array(dimensions);
          buckets.forEach((set, doc) => {
            set.forEach((b, i) => {
              offsets[b + 1]++;
              largest[b] = Math.max(largest[b], Math.abs(values[doc][i]));
            });
          });
          for (let b = 0; b < dimensions; b++) offsets[b + 1] += offsets[b];
          const docs = new (ids.length <= NARROW_DOCS ? Uint16Array : Uint32Array)(offsets[dimensions]);
          const weights = new Int16Array(offsets[dimensions]);
          const steps = largest.map((w) => w / QUANTUM);
          const fill = offsets.slice(0, dimensions);
          buckets.forEach((set, doc) => {
            set.forEach((b, i) => {
              docs[fill[b]] = doc;
              weights[fill[b]++] = Math.round(values[doc][i] / steps[b]);
            });
          });
          lists.set(lang, { ids, offsets, steps, docs, weights });
        }
        return new SparseVectorIndex(dimensions, lists);
      },
    };
  }

  /** The `k` passages of `lang` closest to the query vector; passages sharing no bucket with it are no match. */
  search(vector: ArrayLike<number>, lang: Language, k: number): VectorHit[] {
    const lists = this.lists.get(lang);
    if (!lists) return [];
    const { ids, offsets, steps, docs, weights } = lists;
    const scores = new Float32Array(ids.length);
    const seen = new Uint8Array(ids.length);
    const touched: number[] = [];
    for (let b = 0; b < this.dimensions; b++) {
      if (!vector[b]) continue;
      const q = vector[b] * steps[b];
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
    const header: Header = {
      format: FORMAT,
      dimensions: this.dimensions,
      languages: [...this.lists].map(([lang, l]) => ({ lang, ids: l.ids, postings: l.docs.length, wideDocs: l.docs instanceof Uint32Array })),
    };
    // Written array by array (no concatenated copy of every list), each padded so that it loads as an aligned view.
    const fd = fs.openSync(path.join(dir, DATA_FILE), 'w');
    try {
      for (const l of this.lists.values())
        for (const array of [l.offsets, l.steps, l.docs, l.weights]) {
          fs.writeSync(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
          fs.writeSync(fd, new Uint8Array(padded(array.byteLength) - array.byteLength));
        }
    } finally {
      fs.closeSync(fd);
    }
    fs.writeFileSync(path.join(dir, HEADER_FILE), JSON.stringify(header));
  }

  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, HEADER_FILE));
  }

  static load(dir: string): SparseVectorIndex {
    const header = JSON.parse(fs.readFileSync(path.join(dir, HEADER_FILE), 'utf8')) as Header;
    if (header.format !== FORMAT) throw new CodedError('index-invalid', `${HEADER_FILE}: format ${String(header.format)}, expected ${FORMAT}`);
    const { dimensions } = header;
    const sizes = (l: Header['languages'][number]) => [4 * (dimensions + 1), 4 * dimensions, (l.wideDocs ? 4 : 2) * l.postings, 2 * l.postings];
    const expected = header.languages.reduce((n, l) => n + sizes(l).reduce((m, size) => m + padded(size), 0), 0);
    const file = path.join(dir, DATA_FILE);
    const actual = fs.statSync(file).size;
    if (actual !== expected) throw new CodedError('index-invalid', `${DATA_FILE}: ${actual} bytes, expected ${expected}`);
    // Read into one buffer of our own (not Node's pool) so that every list is a view on it at an aligned offset.
    const data = new ArrayBuffer(expected);
    const fd = fs.openSync(file, 'r');
    try {
      for (let read = 0; read < expected; ) read += fs.readSync(fd, new Uint8Array(data, read), 0, expected - read, read);
    } finally {
      fs.closeSync(fd);
    }
    const lists = new Map<Language, LanguageLists>();
    let at = 0;
    const take = <T>(Kind: new (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number, length: number): T => {
      const view = new Kind(data, at, length);
      at += padded(bytes * length);
      return view;
    };
    for (const l of header.languages) {
      const offsets = take(Uint32Array, 4, dimensions + 1);
      const steps = take(Float32Array, 4, dimensions);
      const docs = l.wideDocs ? take(Uint32Array, 4, l.postings) : take(Uint16Array, 2, l.postings);
      const weights = take(Int16Array, 2, l.postings);
      if (offsets[dimensions] !== l.postings) throw new CodedError('index-invalid', `${DATA_FILE}: ${l.lang} lists end at ${offsets[dimensions]}, expected ${l.postings}`);
      lists.set(l.lang, { ids: l.ids, offsets, steps, docs, weights });
    }
    return new SparseVectorIndex(dimensions, lists);
  }
}

const padded = (bytes: number) => Math.ceil(bytes / 4) * 4;
