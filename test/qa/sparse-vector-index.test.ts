import fs from 'node:fs';
import path from 'node:path';
import { collectChunks } from '../../src/adapters/retrieval/course-chunks';
import { buildIndex, embeddingText, ensureIndex, loadIndex, localEmbeddingChoice } from '../../src/adapters/retrieval/index-store';
import type { LocalHashEmbeddings } from '../../src/adapters/retrieval/local-embeddings';
import { SparseVectorIndex } from '../../src/adapters/retrieval/sparse-vector-index';
import { fixtureChunks, tempDir } from './qa-fixtures';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DATA_FILE = 'sparse-vectors.bin';
const HEADER_FILE = 'sparse-vectors.json';

/** Weights are stored in 16 bits: passages whose exact cosines differ by less than this may trade places. */
const TIE = 1e-5;

describe('sparse vector index', () => {
  it('saved and loaded again, ranks real course passages as the exact cosine does (up to near-ties)', async () => {
    const chunks = await collectChunks(path.join(REPO_ROOT, 'knowledge'));
    const embeddings = localEmbeddingChoice().create(chunks) as LocalHashEmbeddings;
    const builder = SparseVectorIndex.builder();
    // Each passage's non-zero buckets, for the exact float64 cosine against a question.
    const passages = chunks.map((c) => {
      const v = embeddings.embed(embeddingText(c));
      builder.add(c.id, c.lang, v);
      const buckets = Int32Array.from(v.flatMap((x, b) => (x ? [b] : [])));
      return { chunk: c, buckets, values: Float64Array.from(buckets, (b) => v[b]) };
    });
    const dir = tempDir();
    builder.finish().save(dir);
    const index = SparseVectorIndex.load(dir);

    const k = 10;
    // Questions a learner might ask: every quiz prompt and every step title of the course, in each language.
    const questions = chunks.filter((c) => c.kind === 'quiz' || c.kind === 'step').map((c) => ({ lang: c.lang, text: c.kind === 'quiz' ? c.title : `what is ${c.title}` }));
    expect(questions.length).toBeGreaterThan(1000);
    let identical = 0;
    const wrong: string[] = [];
    for (const { lang, text } of questions) {
      const q = embeddings.embed(text);
      const exact = new Map<string, number>();
      for (const { chunk, buckets, values } of passages) {
        if (chunk.lang !== lang) continue;
        let s = 0;
        for (let i = 0; i < buckets.length; i++) s += values[i] * q[buckets[i]];
        if (s !== 0) exact.set(chunk.id, s);
      }
      const expected = [...exact.keys()].sort((a, b) => exact.get(b)! - exact.get(a)!).slice(0, k);
      const hits = index.search(q, lang, k);
      if (hits.map((h) => h.id).join() === expected.join()) identical++;
      // In exact-cosine order, its similarity the exact one, and nothing left out that the exact cosine ranks higher, up to near-ties.
      const inOrder = hits.every((h, i) => Math.abs(1 - h.distance - exact.get(h.id)!) < TIE && (i === 0 || exact.get(h.id)! <= exact.get(hits[i - 1].id)! + TIE));
      const last = hits.length && exact.get(hits[hits.length - 1].id)! >= exact.get(expected[hits.length - 1])! - TIE;
      if (hits.length !== expected.length || !inOrder || !last) wrong.push(`${lang} "${text}"`);
    }
    expect(wrong).toEqual([]);
    // The near-ties are rare: almost every question gets exactly the exact top 10, in order.
    expect(identical / questions.length).toBeGreaterThan(0.99);
  });

  it('addresses passages past 65,536 in a language with 32-bit numbers, and 16-bit ones up to there', () => {
    const sizes: number[] = [];
    for (const count of [0x10000, 0x10001]) {
      // Every passage on one of three buckets; the last one alone on the fourth.
      const builder = SparseVectorIndex.builder();
      for (let doc = 0; doc < count; doc++) {
        const v = [0, 0, 0, 0];
        v[doc === count - 1 ? 3 : doc % 3] = 1;
        builder.add(`p${doc}`, 'en', v);
      }
      const dir = tempDir();
      builder.finish().save(dir);
      const index = SparseVectorIndex.load(dir);
      expect(index.search([0, 0, 0, 1], 'en', 5)).toEqual([{ id: `p${count - 1}`, distance: 0 }]);
      expect(index.search([0, 1, 0, 0], 'en', 2)).toEqual([
        { id: 'p1', distance: 0 },
        { id: 'p4', distance: 0 },
      ]);
      sizes.push(fs.statSync(path.join(dir, DATA_FILE)).size);
    }
    // 4 bytes a posting while 16-bit numbers suffice, 6 past them, besides the 5 offsets and 4 steps of 4 bytes
    // (and 2 bytes that align the 16-bit weights of an odd number of postings).
    const fixed = 4 * 5 + 4 * 4;
    expect(sizes).toEqual([fixed + 4 * 0x10000, fixed + 6 * 0x10001 + 2]);
  });

  it('refuses an index in the earlier format, which a start then rebuilds', async () => {
    const dir = path.join(tempDir(), 'index');
    const chunks = fixtureChunks();
    const embedding = localEmbeddingChoice(256);
    await buildIndex(dir, chunks, embedding);
    // Format 1 (32-bit passages, float weights): the header below with 8 bytes a posting.
    const headerFile = path.join(dir, 'vector', HEADER_FILE);
    const header = JSON.parse(fs.readFileSync(headerFile, 'utf8')) as { dimensions: number; languages: { lang: string; ids: string[]; postings: number }[] };
    const old = { format: 1, dimensions: header.dimensions, languages: header.languages.map(({ lang, ids, postings }) => ({ lang, ids, postings })) };
    fs.writeFileSync(headerFile, JSON.stringify(old));
    fs.writeFileSync(path.join(dir, 'vector', DATA_FILE), Buffer.alloc(old.languages.reduce((n, l) => n + 4 * (old.dimensions + 1) + 8 * l.postings, 0)));
    await expect(loadIndex(dir, embedding)).rejects.toMatchObject({ code: 'index-invalid' });

    const started = await ensureIndex(dir, chunks, embedding);
    expect(started.rebuilt).toBe(true);
    const result = await started.retriever.search('When did Estonia launch X-Road?', 'en', { mode: 'vector' });
    expect(result.passages[0].chunk.text).toContain('X-Road');
    // The rebuilt index is in the current format: the next start loads it.
    expect((await ensureIndex(dir, chunks, embedding)).rebuilt).toBe(false);
  });
});
