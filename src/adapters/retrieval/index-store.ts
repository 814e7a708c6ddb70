import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { z } from 'zod';
import { SUPPORTED_LANGUAGES } from '../../config/config-schema';
import type { Chunk } from '../../ports/retrieval';
import { HnswVectorSearch, HybridRetriever, SparseVectorSearch, type VectorSearch } from './hybrid-retriever';
import { LexicalIndex } from './lexical-index';
import { LocalHashEmbeddings, type LocalEmbeddingState } from './local-embeddings';
import { SparseVectorIndex } from './sparse-vector-index';
import { CodedError } from '../../errors/coded-error';

/**
 * The on-disk index: manifest.json (which embedding built it, a hash of the content),
 * chunks.json (the passages and their metadata), vector/ (HNSWLib files for a provider's
 * embedding; for the local one, whose vectors are sparse, inverted lists: sparse-vector-index.ts)
 * and, for the local embedding, local-embedding.json (its fitted IDF), and lexical.bin (the BM25 postings,
 * so a start with unchanged content loads it rather than re-analysing every passage; an index
 * folder without it, from an older build, rebuilds the lexical part from chunks.json).
 */
/** 2: the local embedding's vectors moved from HNSWLib to sparse lists. 3: Arabic terms stemmed before normalisation (text-analysis.ts). 4: acronyms get a term of their own. 5: the lexical index in typed arrays (lexical.bin). 6: French "-ent" verb forms and Arabic words with an attached li get a second term, more French and Portuguese stop words, clipped words spelled out (text-analysis.ts). 7: Portuguese chat contractions ("pra", "pro", "num") are stop words; "uni", "govt" spelled out. */
const FORMAT_VERSION = 7;
/** The BM25 postings (lexical-index.ts), binary. */
const LEXICAL_FILE = 'lexical.bin';

const manifestSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  embeddingId: z.string().min(1),
  contentHash: z.string().min(1),
  chunkCount: z.number().int().nonnegative(),
  byLanguage: z.record(z.string(), z.number().int().nonnegative()),
  builtAt: z.string(),
  buildMs: z.number().nonnegative(),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

const CHUNK_LANGUAGES = new Set<string>(SUPPORTED_LANGUAGES);
const CHUNK_KINDS = new Set<string>(['step', 'quiz', 'course', 'module', 'reference']);
const OPTIONAL_CHUNK_FIELDS = ['moduleId', 'moduleTitle', 'lessonId', 'lessonTitle', 'stepId'] as const;

/**
 * chunks.json as passages: a structural check of each entry (the file is ours, written by
 * buildIndex, so a full schema validation of thousands of passages on every start buys nothing).
 */
function chunksFrom(data: unknown, file: string): Chunk[] {
  if (!Array.isArray(data)) throw new IndexError('index-invalid', `${file}: expected an array of passages`);
  data.forEach((entry: unknown, i) => {
    const c = entry as Record<string, unknown> | null;
    const ok =
      typeof c === 'object' &&
      c !== null &&
      typeof c.id === 'string' &&
      typeof c.title === 'string' &&
      typeof c.text === 'string' &&
      typeof c.source === 'string' &&
      CHUNK_LANGUAGES.has(c.lang as string) &&
      CHUNK_KINDS.has(c.kind as string) &&
      OPTIONAL_CHUNK_FIELDS.every((f) => c[f] === undefined || typeof c[f] === 'string');
    if (!ok) throw new IndexError('index-invalid', `${file}: passage ${i} is not a valid passage`);
  });
  return data as Chunk[];
}

/** An embedding that can say what it is, so a change of embedding triggers a rebuild. */
export interface EmbeddingChoice {
  id: string;
  /** Builds the embedding for these chunks (the local one is fitted on them). */
  create(chunks: Chunk[]): EmbeddingsInterface;
  /** Restores the embedding used at build time from the index folder. */
  restore(dir: string): EmbeddingsInterface;
  /** Its vectors are mostly zeros (the local embedding): searched exactly in sparse lists, not with HNSW. */
  sparse?: boolean;
  /** Persists whatever `restore` needs. */
  persist(dir: string, embeddings: EmbeddingsInterface): void;
}

export class IndexError extends CodedError<'index-missing' | 'index-invalid'> {
  constructor(code: 'index-missing' | 'index-invalid', message: string) {
    super(code, message);
  }
}

export const LOCAL_DIMENSIONS = 2048;

export function localEmbeddingChoice(dimensions = LOCAL_DIMENSIONS): EmbeddingChoice {
  const file = (dir: string) => path.join(dir, 'local-embedding.json');
  return {
    id: new LocalHashEmbeddings({ dimensions, idf: new Array(dimensions).fill(1) }).id,
    create: (chunks) => LocalHashEmbeddings.fit(chunks.map(embeddingText), dimensions),
    restore: (dir) => new LocalHashEmbeddings(JSON.parse(fs.readFileSync(file(dir), 'utf8')) as LocalEmbeddingState),
    persist: (dir, embeddings) => fs.writeFileSync(file(dir), JSON.stringify((embeddings as LocalHashEmbeddings).toJSON())),
    sparse: true,
  };
}

/** The text a chunk is embedded and searched by. */
export function embeddingText(chunk: Chunk): string {
  return `${chunk.title}\n${chunk.text}`;
}

export function contentHash(chunks: Chunk[], embeddingId: string): string {
  const hash = createHash('sha256');
  hash.update(`${FORMAT_VERSION}\n${embeddingId}\n`);
  for (const chunk of chunks) hash.update(JSON.stringify(chunk));
  return hash.digest('hex');
}

export function readManifest(dir: string): IndexManifest | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return undefined;
  const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** True when the index in `dir` was built from exactly these chunks with this embedding. */
export function isFresh(dir: string, chunks: Chunk[], embedding: EmbeddingChoice, hash?: string): boolean {
  const manifest = readManifest(dir);
  return Boolean(manifest && manifest.embeddingId === embedding.id && manifest.contentHash === (hash ?? contentHash(chunks, embedding.id)));
}

export interface BuildProgress {
  done: number;
  total: number;
}

const BATCH = 32;

export async function buildIndex(dir: string, chunks: Chunk[], embedding: EmbeddingChoice, onProgress?: (p: BuildProgress) => void): Promise<{ retriever: HybridRetriever; manifest: IndexManifest }> {
  const started = Date.now();
  const embeddings = embedding.create(chunks);
  const documents = chunks.map((c) => new Document({ pageContent: embeddingText(c), metadata: { id: c.id, lang: c.lang } }));
  // Sparse vectors are kept as their non-zero buckets from the start: dense, 50× the course is gigabytes.
  const sparse = embedding.sparse ? SparseVectorIndex.builder() : undefined;
  const vectors: number[][] = [];
  onProgress?.({ done: 0, total: chunks.length });
  for (let i = 0; i < documents.length; i += BATCH) {
    const embedded = await embeddings.embedDocuments(documents.slice(i, i + BATCH).map((d) => d.pageContent));
    if (sparse) for (const [j, v] of embedded.entries()) sparse.add(chunks[i + j].id, chunks[i + j].lang, v);
    else vectors.push(...embedded);
    onProgress?.({ done: Math.min(i + BATCH, documents.length), total: chunks.length });
  }
  let vector: VectorSearch;
  let saveVectors: (to: string) => Promise<void>;
  if (sparse) {
    const index = sparse.finish();
    vector = new SparseVectorSearch(embeddings, index);
    saveVectors = async (to) => index.save(to);
  } else {
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: vectors[0]?.length });
    // The vector store keeps only each passage's id and language: the text is in the chunk list already.
    if (vectors.length)
      await store.addVectors(
        vectors,
        documents.map((d) => new Document({ pageContent: '', metadata: d.metadata })),
      );
    vector = new HnswVectorSearch(store);
    saveVectors = async (to) => (vectors.length ? store.save(to) : undefined);
  }

  // Write into a fresh folder, then swap, so a crash never leaves a half-written index.
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  await saveVectors(path.join(tmp, 'vector'));
  embedding.persist(tmp, embeddings);
  fs.writeFileSync(path.join(tmp, 'chunks.json'), JSON.stringify(chunks));
  const lexical = LexicalIndex.build(chunks);
  lexical.save(path.join(tmp, LEXICAL_FILE));
  const byLanguage: Record<string, number> = {};
  for (const c of chunks) byLanguage[c.lang] = (byLanguage[c.lang] ?? 0) + 1;
  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    embeddingId: embedding.id,
    contentHash: contentHash(chunks, embedding.id),
    chunkCount: chunks.length,
    byLanguage,
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - started,
  };
  fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // Another process sharing INDEX_DIR finished the same build first: keep its copy, serve ours from memory.
    if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { retriever: new HybridRetriever(chunks, lexical, vector), manifest };
}

/** The saved lexical index, or one built from the passages when the file is absent or unreadable. */
function loadLexical(dir: string, chunks: Chunk[]): LexicalIndex {
  const file = path.join(dir, LEXICAL_FILE);
  if (fs.existsSync(file)) {
    try {
      return LexicalIndex.load(file, chunks);
    } catch {
      // Damaged or from another format version: rebuilt below.
    }
  }
  return LexicalIndex.build(chunks);
}

/**
 * Loads the index in `dir`. `fresh` are the passages the caller just collected when it knows
 * (isFresh) that the index was built from exactly these: chunks.json is then not read at all.
 */
export async function loadIndex(dir: string, embedding: EmbeddingChoice, fresh?: Chunk[]): Promise<{ retriever: HybridRetriever; manifest: IndexManifest }> {
  const manifest = readManifest(dir);
  if (!manifest) throw new IndexError('index-missing', `no valid index in ${dir}: run "npm run index"`);
  if (manifest.embeddingId !== embedding.id) {
    throw new IndexError('index-invalid', `index in ${dir} was built with ${manifest.embeddingId}, not ${embedding.id}: run "npm run index"`);
  }
  const chunksFile = path.join(dir, 'chunks.json');
  const chunks = fresh ?? chunksFrom(JSON.parse(fs.readFileSync(chunksFile, 'utf8')), chunksFile);
  const embeddings = embedding.restore(dir);
  const vector = embedding.sparse
    ? new SparseVectorSearch(embeddings, SparseVectorIndex.load(path.join(dir, 'vector')))
    : new HnswVectorSearch(await HNSWLib.load(path.join(dir, 'vector'), embeddings));
  return { retriever: new HybridRetriever(chunks, loadLexical(dir, chunks), vector), manifest };
}

/** Loads the index when it matches the content and embedding, else builds it. */
export async function ensureIndex(
  dir: string,
  chunks: Chunk[],
  embedding: EmbeddingChoice,
  onProgress?: (p: BuildProgress) => void,
  /** contentHash(chunks, embedding.id), when the caller has it already: at 50× the course it takes most of a second. */
  hash?: string,
): Promise<{ retriever: HybridRetriever; manifest: IndexManifest; rebuilt: boolean }> {
  if (isFresh(dir, chunks, embedding, hash)) {
    try {
      return { ...(await loadIndex(dir, embedding, chunks)), rebuilt: false };
    } catch {
      // A damaged index is rebuilt below.
    }
  }
  return { ...(await buildIndex(dir, chunks, embedding, onProgress)), rebuilt: true };
}
