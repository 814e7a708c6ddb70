import fs from 'node:fs';
import type { Language } from '../../config/config-schema';
import type { Chunk } from '../../ports/retrieval';
import { analyze } from '../../core/qa/text-analysis';
import { CodedError } from '../../errors/coded-error';
import { TermVocabulary } from './term-vocabulary';

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
/** A prefix or fuzzy match counts for less than the term itself (MiniSearch's weighting, which this index replaced). */
const PREFIX_WEIGHT = 0.3;
const FUZZY_WEIGHT = 0.4;
/** BM25+ (k1, b, delta), and titles count double: a step titled "FAIR data" is about FAIR data. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const FIELD_BOOST = [2, 1] as const;

/** Shorter unknown stems are not corrected: at four or five letters one edit reaches too many words. */
const TYPO_MIN_LENGTH = 6;

export function fuzzyDistance(term: string, lang: Language): number {
  if (/\d/.test(term) || term.length < FUZZY_MIN[lang]) return 0;
  return term.length >= FUZZY_TWO[lang] ? 2 : 1;
}

/** Corrections and expansions remembered per language (questions repeat their words; typos are endless, hence the bound). */
const REMEMBERED = 10_000;

export interface LexicalHit {
  id: string;
  score: number;
}

/** What a query term reaches: each index term with its weight. */
interface Expansion {
  terms: Int32Array;
  weights: Float64Array;
}

/**
 * One language's BM25 postings in typed arrays: a term's postings in field f (0 title, 1 text)
 * are docs/tfs[starts[2t + f] .. starts[2t + f + 1]). Passages are numbered in the order of the
 * language's chunks, so the index stores no ids or texts of its own.
 */
interface LanguagePostings {
  ids: string[];
  vocabulary: TermVocabulary;
  /** Passages that contain the term in either field. */
  documentFrequency: Uint32Array;
  starts: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  /** Distinct terms of passage d's field f at 2d + f. */
  fieldLengths: Uint32Array;
  averageFieldLength: [number, number];
  expansions: Map<string, Expansion>;
  nearest: Map<string, string | undefined>;
  /** Per-search scratch, reused: searches are synchronous. */
  scores: Float64Array;
  matched: Uint16Array;
  stamp: Uint32Array;
  lastTerm: Int32Array;
  generation: number;
}

function postings(
  ids: string[],
  terms: string[],
  arrays: Omit<LanguagePostings, 'ids' | 'vocabulary' | 'expansions' | 'nearest' | 'scores' | 'matched' | 'stamp' | 'lastTerm' | 'generation'>,
): LanguagePostings {
  const n = ids.length;
  return {
    ids,
    vocabulary: new TermVocabulary(terms),
    ...arrays,
    expansions: new Map(),
    nearest: new Map(),
    scores: new Float64Array(n),
    matched: new Uint16Array(n),
    stamp: new Uint32Array(n),
    lastTerm: new Int32Array(n),
    generation: 0,
  };
}

function buildLanguage(chunks: Chunk[], lang: Language): LanguagePostings {
  const perTerm = new Map<string, { fields: [number[], number[]]; df: number }>();
  const fieldLengths = new Uint32Array(chunks.length * 2);
  chunks.forEach((chunk, d) => {
    [chunk.title, chunk.text].forEach((value, f) => {
      const counts = new Map<string, number>();
      for (const term of analyze(value, lang)) counts.set(term, (counts.get(term) ?? 0) + 1);
      fieldLengths[2 * d + f] = counts.size;
      for (const [term, tf] of counts) {
        let entry = perTerm.get(term);
        if (!entry) perTerm.set(term, (entry = { fields: [[], []], df: 0 }));
        entry.fields[f]!.push(d, tf);
      }
    });
    for (const term of new Set(analyze(`${chunk.title} ${chunk.text}`, lang))) {
      let entry = perTerm.get(term);
      if (!entry) perTerm.set(term, (entry = { fields: [[], []], df: 0 }));
      entry.df++;
    }
  });
  const terms = [...perTerm.keys()].sort();
  const starts = new Uint32Array(terms.length * 2 + 1);
  let total = 0;
  for (const [t, term] of terms.entries()) {
    const { fields } = perTerm.get(term)!;
    starts[2 * t] = total;
    total += fields[0].length / 2;
    starts[2 * t + 1] = total;
    total += fields[1].length / 2;
  }
  starts[terms.length * 2] = total;
  const docs = new Uint32Array(total);
  const tfs = new Uint16Array(total);
  const documentFrequency = new Uint32Array(terms.length);
  for (const [t, term] of terms.entries()) {
    const { fields, df } = perTerm.get(term)!;
    documentFrequency[t] = df;
    for (let f = 0; f < 2; f++) {
      const list = fields[f]!;
      let at = starts[2 * t + f]!;
      for (let i = 0; i < list.length; i += 2, at++) {
        docs[at] = list[i]!;
        tfs[at] = Math.min(list[i + 1]!, 0xffff);
      }
    }
  }
  const average = (f: number) => {
    let sum = 0;
    for (let d = 0; d < chunks.length; d++) sum += fieldLengths[2 * d + f]!;
    return chunks.length ? sum / chunks.length : 0;
  };
  return postings(
    chunks.map((c) => c.id),
    terms,
    { documentFrequency, starts, docs, tfs, fieldLengths, averageFieldLength: [average(0), average(1)] },
  );
}

function byLanguage(chunks: Chunk[]): Map<Language, Chunk[]> {
  const out = new Map<Language, Chunk[]>();
  for (const chunk of chunks) {
    const list = out.get(chunk.lang);
    if (list) list.push(chunk);
    else out.set(chunk.lang, [chunk]);
  }
  return out;
}

/** On disk: "GVLX", format, header length, the JSON header, then the arrays, each 4-byte aligned. */
const MAGIC = 0x584c5647;
const LEXICAL_FORMAT = 2;
const ARRAYS = ['documentFrequency', 'starts', 'docs', 'tfs', 'fieldLengths'] as const;
type ArrayName = (typeof ARRAYS)[number];

interface FileHeader {
  languages: { lang: Language; count: number; averageFieldLength: [number, number]; terms: { offset: number; bytes: number }; arrays: Record<ArrayName, { offset: number; length: number }> }[];
}

const align = (n: number) => (n + 3) & ~3;

/**
 * BM25+ lexical index, one per language so that each language gets its own analysis (stop
 * words, Snowball stemming, accent folding, Arabic normalisation), with prefix and typo matching.
 * It scores exactly as the MiniSearch index it replaced (test/qa/lexical-equivalence.test.ts
 * proves it), but keeps its postings in typed arrays saved as one binary file: at 50× the course
 * MiniSearch held 1.4 GB and took seconds to parse at every start.
 */
export class LexicalIndex {
  private constructor(private readonly languages: Map<Language, LanguagePostings>) {}

  /** Indexes the passages (at build time; a fresh index on disk is loaded with load). */
  static build(chunks: Chunk[]): LexicalIndex {
    const languages = new Map<Language, LanguagePostings>();
    for (const [lang, list] of byLanguage(chunks)) languages.set(lang, buildLanguage(list, lang));
    return new LexicalIndex(languages);
  }

  /** Writes the index to `file`; passage texts are not in it (they are in chunks.json). */
  save(file: string): void {
    const parts: Buffer[] = [];
    let offset = 0;
    const put = (bytes: Buffer) => {
      const at = offset;
      parts.push(bytes);
      const padded = align(bytes.length);
      if (padded > bytes.length) parts.push(Buffer.alloc(padded - bytes.length));
      offset += padded;
      return at;
    };
    const header: FileHeader = { languages: [] };
    for (const [lang, p] of this.languages) {
      const terms = Buffer.from(p.vocabulary.terms.join('\n'), 'utf8');
      const termsAt = put(terms);
      const arrays = {} as Record<ArrayName, { offset: number; length: number }>;
      for (const name of ARRAYS) {
        const array = p[name];
        arrays[name] = { offset: put(Buffer.from(array.buffer, array.byteOffset, array.byteLength)), length: array.length };
      }
      header.languages.push({ lang, count: p.ids.length, averageFieldLength: p.averageFieldLength, terms: { offset: termsAt, bytes: terms.length }, arrays });
    }
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.alloc(12);
    prefix.writeUInt32LE(MAGIC, 0);
    prefix.writeUInt32LE(LEXICAL_FORMAT, 4);
    prefix.writeUInt32LE(json.length, 8);
    const head = Buffer.concat([prefix, json, Buffer.alloc(align(12 + json.length) - 12 - json.length)]);
    fs.writeFileSync(file, Buffer.concat([head, ...parts]));
  }

  /**
   * The index saved in `file` for these passages (the ones it was built from: the caller checked
   * the content hash). Throws index-invalid for a file of another format, truncated or not matching.
   */
  static load(file: string, chunks: Chunk[]): LexicalIndex {
    const data = fs.readFileSync(file);
    const invalid = (why: string) => new CodedError('index-invalid', `${file}: ${why}`);
    if (data.length < 12 || data.readUInt32LE(0) !== MAGIC) throw invalid('not a lexical index');
    const format = data.readUInt32LE(4);
    if (format !== LEXICAL_FORMAT) throw invalid(`lexical index format ${format}, expected ${LEXICAL_FORMAT}`);
    const jsonEnd = 12 + data.readUInt32LE(8);
    if (jsonEnd > data.length) throw invalid('truncated');
    const header = JSON.parse(data.subarray(12, jsonEnd).toString('utf8')) as FileHeader;
    const base = align(jsonEnd);
    // Typed arrays need aligned memory; a small file read into Node's shared pool may not be.
    const body = (data.byteOffset + base) % 4 === 0 ? data.subarray(base) : Buffer.from(data.subarray(base));
    const groups = byLanguage(chunks);
    const languages = new Map<Language, LanguagePostings>();
    for (const entry of header.languages) {
      const list = groups.get(entry.lang) ?? [];
      if (list.length !== entry.count) throw invalid(`${entry.lang}: ${entry.count} passages indexed, ${list.length} given`);
      const view = <T>(name: ArrayName, make: (buffer: ArrayBufferLike, offset: number, length: number) => T, bytesPer: number): T => {
        const { offset, length } = entry.arrays[name];
        if (offset + length * bytesPer > body.length) throw invalid('truncated');
        return make(body.buffer, body.byteOffset + offset, length);
      };
      const u32 = (name: ArrayName) => view(name, (b, o, l) => new Uint32Array(b, o, l), 4);
      if (entry.terms.offset + entry.terms.bytes > body.length) throw invalid('truncated');
      const text = body.subarray(entry.terms.offset, entry.terms.offset + entry.terms.bytes).toString('utf8');
      const terms = text ? text.split('\n') : [];
      const starts = u32('starts');
      if (starts.length !== terms.length * 2 + 1) throw invalid(`${entry.lang}: term table does not match its postings`);
      languages.set(
        entry.lang,
        postings(
          list.map((c) => c.id),
          terms,
          {
            documentFrequency: u32('documentFrequency'),
            starts,
            docs: u32('docs'),
            tfs: view('tfs', (b, o, l) => new Uint16Array(b, o, l), 2),
            fieldLengths: u32('fieldLengths'),
            averageFieldLength: entry.averageFieldLength,
          },
        ),
      );
    }
    return new LexicalIndex(languages);
  }

  search(query: string, lang: Language, k: number): LexicalHit[] {
    const p = this.languages.get(lang);
    if (!p) return [];
    // A word typed twice counts twice, as in the question; its matches are looked up once.
    const counts = new Map<string, number>();
    for (const term of analyze(query, lang)) if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
    p.generation++;
    const generation = p.generation;
    const touched: number[] = [];
    let source = 0;
    for (const [term, count] of counts) {
      const expansion = this.expand(p, term, lang);
      for (let e = 0; e < expansion.terms.length; e++) {
        const t = expansion.terms[e]!;
        const weight = expansion.weights[e]! * count;
        for (let f = 0; f < 2; f++) {
          const from = p.starts[2 * t + f]!;
          const to = p.starts[2 * t + f + 1]!;
          if (from === to) continue;
          const n = p.ids.length;
          const idf = Math.log(1 + (n - (to - from) + 0.5) / (to - from + 0.5));
          const average = p.averageFieldLength[f]!;
          const boost = weight * FIELD_BOOST[f]!;
          for (let i = from; i < to; i++) {
            const d = p.docs[i]!;
            const tf = p.tfs[i]!;
            const score = boost * idf * (DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * p.fieldLengths[2 * d + f]!) / average)));
            if (p.stamp[d] !== generation) {
              p.stamp[d] = generation;
              p.scores[d] = 0;
              p.matched[d] = 0;
              p.lastTerm[d] = -1;
              touched.push(d);
            }
            p.scores[d] += score;
            if (p.lastTerm[d] !== source) {
              p.lastTerm[d] = source;
              p.matched[d]++;
            }
          }
        }
      }
      source++;
    }
    // A passage that meets more of the question's words ranks higher (score × words met); the top k
    // by insertion, so that ties keep the order passages were first met in.
    const top: { d: number; score: number }[] = [];
    for (const d of touched) {
      const score = p.scores[d]! * p.matched[d]!;
      if (top.length === k && score <= top[k - 1]!.score) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]!.score < score) at--;
      top.splice(at, 0, { d, score });
      if (top.length > k) top.pop();
    }
    return top.map(({ d, score }) => ({ id: p.ids[d]!, score }));
  }

  /** The index terms a query term reaches: itself, longer stems it begins (prefix) and stems a typo away (fuzzy). */
  private expand(p: LanguagePostings, term: string, lang: Language): Expansion {
    const known = p.expansions.get(term);
    if (known) return known;
    const terms: number[] = [];
    const weights: number[] = [];
    const exact = p.vocabulary.position(term);
    if (exact !== undefined) {
      terms.push(exact);
      weights.push(1);
    }
    const byPrefix = new Set<number>();
    if (term.length >= PREFIX_MIN[lang]) {
      for (const t of p.vocabulary.withPrefix(term)) {
        if (t === exact) continue;
        const length = p.vocabulary.terms[t]!.length;
        byPrefix.add(t);
        terms.push(t);
        weights.push((PREFIX_WEIGHT * length) / (length + 0.3 * (length - term.length)));
      }
    }
    const distance = fuzzyDistance(term, lang);
    if (distance) {
      for (const [t, d] of p.vocabulary.near(term, distance)) {
        if (!d || byPrefix.has(t)) continue;
        const length = p.vocabulary.terms[t]!.length;
        terms.push(t);
        weights.push((FUZZY_WEIGHT * length) / (length + d));
      }
    }
    const expansion = { terms: Int32Array.from(terms), weights: Float64Array.from(weights) };
    if (p.expansions.size >= REMEMBERED) p.expansions.clear();
    p.expansions.set(term, expansion);
    return expansion;
  }

  /**
   * The known term closest to an unknown one (a typo): within fuzzyDistance edits, the most
   * frequent wins. Undefined for known, short or numeric terms, or when nothing is close.
   */
  nearestTerm(term: string, lang: Language): string | undefined {
    const p = this.languages.get(lang);
    if (!p || p.vocabulary.position(term) !== undefined || term.length < TYPO_MIN_LENGTH) return undefined;
    if (p.nearest.has(term)) return p.nearest.get(term);
    const max = fuzzyDistance(term, lang);
    let best: { t: number; d: number; df: number } | undefined;
    // Typists rarely get the first letter wrong; requiring it keeps "bread" from becoming "read".
    const first = term[0]!;
    const from = p.vocabulary.lowerBound(first);
    const to = p.vocabulary.lowerBound(`${first}\uffff`);
    for (const [t, d] of max ? p.vocabulary.near(term, max, from, to) : []) {
      if (/\d/.test(p.vocabulary.terms[t]!)) continue;
      const df = p.documentFrequency[t]!;
      if (!best || d < best.d || (d === best.d && df > best.df)) best = { t, d, df };
    }
    const found = best ? p.vocabulary.terms[best.t] : undefined;
    if (p.nearest.size >= REMEMBERED) p.nearest.clear();
    p.nearest.set(term, found);
    return found;
  }

  knows(term: string, lang: Language): boolean {
    return this.languages.get(lang)?.vocabulary.position(term) !== undefined;
  }

  /** Smoothed inverse document frequency of an analysed term. */
  idf(term: string, lang: Language): number {
    const p = this.languages.get(lang);
    const n = p?.ids.length ?? 0;
    if (!p || !n) return 0;
    const t = p.vocabulary.position(term);
    const df = t === undefined ? 0 : p.documentFrequency[t]!;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}
