import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { chunksFromCourse } from '../../src/adapters/retrieval/chunking';
import { collectChunks } from '../../src/adapters/retrieval/course-chunks';
import { reciprocalRankFusion } from '../../src/adapters/retrieval/fusion';
import { buildIndex, embeddingText, isFresh, loadIndex, localEmbeddingChoice } from '../../src/adapters/retrieval/index-store';
import { LexicalIndex } from '../../src/adapters/retrieval/lexical-index';
import { LocalHashEmbeddings } from '../../src/adapters/retrieval/local-embeddings';
import { loadReferenceChunks } from '../../src/adapters/retrieval/reference-documents';
import { loadLanguage } from '../../src/adapters/content/course-loader';
import { fixtureChunks, makeCourse, tempDir } from './qa-fixtures';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('chunking', () => {
  it('makes one passage per step, with module, lesson, step, title, language and source', () => {
    const chunks = chunksFromCourse(makeCourse('es'));
    const step = chunks.find((c) => c.id === 'es:m1-l1-s1')!;
    expect(step).toMatchObject({
      kind: 'step',
      lang: 'es',
      moduleId: 'm1',
      lessonId: 'm1-l1',
      stepId: 'm1-l1-s1',
      title: 'X-Road en Estonia',
      moduleTitle: 'Gobernanza de datos',
      lessonTitle: 'Compartir datos con responsabilidad',
      source: 'es/m1/l1.md',
    });
    expect(chunks.filter((c) => c.kind === 'step')).toHaveLength(4);
    const quiz = chunks.find((c) => c.kind === 'quiz')!;
    expect(quiz.title).toBe('¿Qué país creó X-Road?');
    expect(quiz.text).toContain('Estonia creó X-Road');
  });

  it('indexes every step of the real English course, once', async () => {
    const { course } = await loadLanguage(path.join(REPO_ROOT, 'knowledge'), 'en');
    const chunks = await collectChunks(path.join(REPO_ROOT, 'knowledge'));
    const english = chunks.filter((c) => c.lang === 'en' && c.kind === 'step');
    const stepCount = course!.modules.flatMap((m) => m.lessons).reduce((n, l) => n + l.steps.length, 0);
    expect(english).toHaveLength(stepCount);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
  });

  it('reads reference documents in Markdown, text, HTML and PDF, with HTML tags and scripts stripped', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'es'));
    fs.writeFileSync(path.join(dir, 'guide.md'), '---\ntitle: x\n---\n# Open data\n\nOpen data should be **free** to reuse.\n\n## Licences\n\nUse an open licence such as CC BY 4.0.\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'First paragraph about sandboxes.\n\nSecond paragraph about pilots.');
    fs.writeFileSync(
      path.join(dir, 'es', 'pagina.html'),
      '<html><head><title>t</title><script>alert("x")</script></head><body><h2>Registro de algoritmos</h2><p>Amsterdam abrió su registro en 2020 &amp; Helsinki también.</p></body></html>',
    );
    const pdf = new PDFDocument();
    const parts: Buffer[] = [];
    pdf.on('data', (b: Buffer) => parts.push(b));
    const done = new Promise((r) => pdf.on('end', r));
    pdf.text('The Digital Services Charter was signed in 2019.');
    pdf.end();
    await done;
    fs.writeFileSync(path.join(dir, 'charter.pdf'), Buffer.concat(parts));
    fs.writeFileSync(path.join(dir, 'broken.pdf'), 'not a pdf');

    const skipped: string[] = [];
    const chunks = await loadReferenceChunks(dir, (file) => skipped.push(file));
    expect(skipped).toEqual(['broken.pdf']);
    const byTitle = (t: string) => chunks.find((c) => c.title.includes(t));
    expect(byTitle('guide: Licences')?.text).toBe('Use an open licence such as CC BY 4.0.');
    expect(byTitle('guide: Open data')?.text).toBe('Open data should be free to reuse.');
    expect(byTitle('notes')?.text).toContain('Second paragraph about pilots.');
    const html = byTitle('Registro de algoritmos')!;
    expect(html).toMatchObject({ lang: 'es', kind: 'reference' });
    expect(html.text).toBe('Amsterdam abrió su registro en 2020 & Helsinki también.');
    expect(chunks.some((c) => c.text.includes('alert'))).toBe(false);
    expect(byTitle('charter')?.text).toContain('Digital Services Charter was signed in 2019');
    await expect(loadReferenceChunks(path.join(dir, 'missing'))).rejects.toThrow('does not exist');
  });

  it('reads an edited, added or removed reference document again at the next start, and reports dropped sentences each time', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'guide.md'), '# Pilots\n\nStart with a small pilot. Call +44 20 7946 0958 for help.\n');
    const load = async () => {
      const flagged: string[] = [];
      const chunks = await loadReferenceChunks(dir, undefined, (file) => flagged.push(file));
      return { texts: chunks.map((c) => c.text), flagged };
    };
    expect(await load()).toEqual({ texts: ['Start with a small pilot.'], flagged: ['guide.md'] });
    // Unchanged: the same passages, and the contact detail is still reported.
    expect(await load()).toEqual({ texts: ['Start with a small pilot.'], flagged: ['guide.md'] });
    fs.writeFileSync(path.join(dir, 'guide.md'), '# Pilots\n\nStart with a pilot of one service.\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'Measure before you scale.');
    expect((await load()).texts.sort()).toEqual(['Measure before you scale.', 'Start with a pilot of one service.']);
    fs.rmSync(path.join(dir, 'notes.txt'));
    expect((await load()).texts).toEqual(['Start with a pilot of one service.']);
  });
});

describe('lexical index (BM25)', () => {
  const index = LexicalIndex.build(fixtureChunks());

  it('finds a passage by stemmed, accent-free words, only in the requested language', () => {
    const hits = index.search('sesgos de automatizacion', 'es', 5);
    expect(hits[0].id).toBe('es:m1-l2-s1');
    expect(hits.every((h) => h.id.startsWith('es:'))).toBe(true);
    expect(index.search('automation biases', 'en', 5)[0].id).toBe('en:m1-l2-s1');
  });

  it('has nothing for a language without content', () => {
    expect(index.search('X-Road', 'fr', 5)).toEqual([]);
  });

  it('saved and loaded again, answers exactly as the index it was saved from (typos and stems included)', () => {
    const file = path.join(tempDir(), 'lexical.bin');
    index.save(file);
    const loaded = LexicalIndex.load(file, fixtureChunks());
    for (const [query, lang] of [
      ['sesgos de automatizacion', 'es'],
      ['automaton bias', 'en'],
      ['X-Road data exchange', 'en'],
    ] as const) {
      expect(loaded.search(query, lang, 5)).toEqual(index.search(query, lang, 5));
    }
    expect(loaded.search('automation', 'en', 5).length).toBeGreaterThan(0);
    expect(loaded.idf('autom', 'en')).toBe(index.idf('autom', 'en'));
    expect(loaded.nearestTerm('automaton', 'en')).toBe(index.nearestTerm('automaton', 'en'));
    // Another format, a truncated file, or passages that are not the ones indexed: refused, never misread.
    const bytes = fs.readFileSync(file);
    bytes.writeUInt32LE(99, 4);
    fs.writeFileSync(file, bytes);
    expect(() => LexicalIndex.load(file, fixtureChunks())).toThrow('format 99');
    index.save(file);
    fs.truncateSync(file, fs.statSync(file).size - 16);
    expect(() => LexicalIndex.load(file, fixtureChunks())).toThrow('truncated');
    index.save(file);
    expect(() => LexicalIndex.load(file, fixtureChunks().slice(1))).toThrow('passages indexed');
  });
});

describe('local embedding', () => {
  it('puts a passage closer to a paraphrase of it than to an unrelated passage', async () => {
    const docs = ['Estonia launched the X-Road data exchange layer in 2001.', 'Automation bias means trusting a computer output too much.', 'Plain language helps people understand letters.'];
    const e = LocalHashEmbeddings.fit(docs, 512);
    const [a, b, c] = await e.embedDocuments(docs);
    const q = await e.embedQuery('When did Estonia launch X-Road?');
    const cos = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(cos(q, a)).toBeGreaterThan(cos(q, b));
    expect(cos(q, a)).toBeGreaterThan(cos(q, c));
    expect(Math.abs(cos(a, a) - 1)).toBeLessThan(1e-9);
  });
});

describe('reciprocal rank fusion', () => {
  it('ranks a document both retrievers agree on above one that only one ranks first', () => {
    const fused = reciprocalRankFusion([{ ids: ['a', 'b', 'c'] }, { ids: ['b', 'd', 'a'] }]);
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'd', 'c']);
  });
});

describe('index on disk', () => {
  it('builds, reloads, and is stale when the content or the embedding changes', async () => {
    const dir = path.join(tempDir(), 'index');
    const chunks = fixtureChunks();
    const embedding = localEmbeddingChoice(256);
    const built = await buildIndex(dir, chunks, embedding);
    expect(built.manifest).toMatchObject({ chunkCount: chunks.length, byLanguage: { en: 6, es: 6 }, embeddingId: embedding.id });
    expect(isFresh(dir, chunks, embedding)).toBe(true);
    expect(isFresh(dir, chunks, localEmbeddingChoice(512))).toBe(false);
    const edited = chunks.map((c, i) => (i === 0 ? { ...c, text: `${c.text} Edited.` } : c));
    expect(isFresh(dir, edited, embedding)).toBe(false);

    const { retriever } = await loadIndex(dir, embedding);
    const result = await retriever.search('When did Estonia launch X-Road?', 'en', { mode: 'vector' });
    expect(result.passages[0].chunk.text).toContain('X-Road');
    expect(result.passages.slice(0, 2).map((p) => p.chunk.id)).toContain('en:m1-l1-s1');
    expect(result.passages.every((p) => p.chunk.lang === 'en')).toBe(true);

    // The lexical index is loaded from lexical.bin; without that file (an older index) it is rebuilt, same answers.
    const lexicalQuery = async () => (await (await loadIndex(dir, embedding)).retriever.search('automation bias', 'en', { mode: 'lexical' })).passages.map((p) => p.chunk.id);
    const fromFile = await lexicalQuery();
    expect(fromFile[0]).toBe('en:m1-l2-s1');
    fs.rmSync(path.join(dir, 'lexical.bin'));
    expect(await lexicalQuery()).toEqual(fromFile);
    fs.writeFileSync(path.join(dir, 'lexical.bin'), 'GVLX not really');
    expect(await lexicalQuery()).toEqual(fromFile);
  });

  it('finds the nearest passages a full cosine comparison finds, and refuses a truncated vector file', async () => {
    const dir = path.join(tempDir(), 'index');
    const chunks = fixtureChunks();
    const embedding = localEmbeddingChoice(256);
    const { retriever } = await buildIndex(dir, chunks, embedding);
    const embeddings = embedding.restore(dir) as LocalHashEmbeddings;
    const query = 'automation bias in decisions about people';
    const q = embeddings.embed(query);
    const cosine = (text: string) => embeddings.embed(text).reduce((sum, x, i) => sum + x * q[i], 0);
    const english = chunks.filter((c) => c.lang === 'en');
    const expected = english
      .map((c) => ({ id: c.id, s: cosine(embeddingText(c)) }))
      .filter((x) => x.s !== 0)
      .sort((a, b) => b.s - a.s)
      .map((x) => x.id);
    const result = await retriever.search(query, 'en', { mode: 'vector', k: english.length });
    expect(result.passages.map((p) => p.chunk.id)).toEqual(expected);
    expect(result.passages[0].vectorSimilarity).toBeCloseTo(cosine(embeddingText(result.passages[0].chunk)), 5);

    fs.truncateSync(path.join(dir, 'vector', 'sparse-vectors.bin'), 100);
    await expect(loadIndex(dir, embedding)).rejects.toMatchObject({ code: 'index-invalid' });
  });

  it('keeps passage text once, skips chunks.json on a fresh start, and refuses a damaged one otherwise', async () => {
    const dir = path.join(tempDir(), 'index');
    const chunks = fixtureChunks();
    const embedding = localEmbeddingChoice(256);
    await buildIndex(dir, chunks, embedding);
    // The vector lists hold ids and weights only; the texts live in chunks.json.
    const vectorFiles = fs
      .readdirSync(path.join(dir, 'vector'))
      .map((f) => fs.readFileSync(path.join(dir, 'vector', f), 'latin1'))
      .join('');
    expect(vectorFiles).not.toContain(chunks[0].text.slice(0, 40));
    expect(fs.readFileSync(path.join(dir, 'lexical.bin'), 'utf8')).not.toContain(chunks[0].text.slice(0, 40));

    fs.writeFileSync(path.join(dir, 'chunks.json'), JSON.stringify([{ id: 'x', lang: 'en', kind: 'step', title: 'T', source: 's' }]));
    await expect(loadIndex(dir, embedding)).rejects.toMatchObject({ code: 'index-invalid' });
    // With the passages the caller just collected (their hash matches the manifest), chunks.json is not read.
    const { retriever } = await loadIndex(dir, embedding, chunks);
    const result = await retriever.search('When did Estonia launch X-Road?', 'en');
    expect(result.passages[0].chunk.text).toContain('X-Road');
  });
});
