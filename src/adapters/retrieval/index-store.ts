import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { z } from 'zod';
import { SUPPORTED_LANGUAGES } from '../../config/config-schema';
import type { Chunk } from '../../ports/retrieval';
import { HybridRetriever } from './hybrid-retriever';
import { LexicalIndex } from './lexical-index';
import { LocalHashEmbeddings, type LocalEmbeddingState } from './local-embeddings';

/**
 * The on-disk index: manifest.json (which embedding built it, a hash of the content),
 * chunks.json (the passages and their metadata), vector/ (HNSWLib files) and, for the local
 * embedding, local-embedding.json (its fitted IDF). The lexical index is rebuilt from
 * chunks.json on load: it takes milliseconds and keeps one source of truth.
 */
const FORMAT_VERSION = 1;

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

const chunkSchema = z.object({
  id: z.string(),
  lang: z.enum(SUPPORTED_LANGUAGES),
  kind: z.enum(['step', 'quiz', 'course', 'module', 'reference']),
  moduleId: z.string().optional(),
  moduleTitle: z.string().optional(),
  lessonId: z.string().optional(),
  lessonTitle: z.string().optional(),
  stepId: z.string().optional(),
  title: z.string(),
  text: z.string(),
  source: z.string(),
});

/** An embedding that can say what it is, so a change of embedding triggers a rebuild. */
export interface EmbeddingChoice {
  id: string;
  /** Builds the embedding for these chunks (the local one is fitted on them). */
  create(chunks: Chunk[]): EmbeddingsInterface;
  /** Restores the embedding used at build time from the index folder. */
  restore(dir: string): EmbeddingsInterface;
  /** Persists whatever `restore` needs. */
  persist(dir: string, embeddings: EmbeddingsInterface): void;
}

export class IndexError extends Error {
  constructor(
    readonly code: 'index-missing' | 'index-invalid',
    message: string,
  ) {
    super(message);
    this.name = 'IndexError';
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
export function isFresh(dir: string, chunks: Chunk[], embedding: EmbeddingChoice): boolean {
  const manifest = readManifest(dir);
  return Boolean(manifest && manifest.embeddingId === embedding.id && manifest.contentHash === contentHash(chunks, embedding.id));
}

export interface BuildProgress {
  done: number;
  total: number;
}

const BATCH = 32;

export async function buildIndex(
  dir: string,
  chunks: Chunk[],
  embedding: EmbeddingChoice,
  onProgress?: (p: BuildProgress) => void,
): Promise<{ retriever: HybridRetriever; manifest: IndexManifest }> {
  const started = Date.now();
  const embeddings = embedding.create(chunks);
  const documents = chunks.map((c) => new Document({ pageContent: embeddingText(c), metadata: { id: c.id, lang: c.lang } }));
  const vectors: number[][] = [];
  onProgress?.({ done: 0, total: chunks.length });
  for (let i = 0; i < documents.length; i += BATCH) {
    vectors.push(...(await embeddings.embedDocuments(documents.slice(i, i + BATCH).map((d) => d.pageContent))));
    onProgress?.({ done: Math.min(i + BATCH, documents.length), total: chunks.length });
  }
  const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: vectors[0]?.length });
  if (vectors.length) await store.addVectors(vectors, documents);

  // Write into a fresh folder, then swap, so a crash never leaves a half-written index.
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  if (vectors.length) await store.save(path.join(tmp, 'vector'));
  embedding.persist(tmp, embeddings);
  fs.writeFileSync(path.join(tmp, 'chunks.json'), JSON.stringify(chunks));
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
  fs.renameSync(tmp, dir);
  return { retriever: new HybridRetriever(chunks, new LexicalIndex(chunks), store), manifest };
}

export async function loadIndex(dir: string, embedding: EmbeddingChoice): Promise<{ retriever: HybridRetriever; manifest: IndexManifest }> {
  const manifest = readManifest(dir);
  if (!manifest) throw new IndexError('index-missing', `no valid index in ${dir}: run "npm run index"`);
  if (manifest.embeddingId !== embedding.id) {
    throw new IndexError('index-invalid', `index in ${dir} was built with ${manifest.embeddingId}, not ${embedding.id}: run "npm run index"`);
  }
  const parsed = z.array(chunkSchema).safeParse(JSON.parse(fs.readFileSync(path.join(dir, 'chunks.json'), 'utf8')));
  if (!parsed.success) throw new IndexError('index-invalid', `${dir}/chunks.json: ${parsed.error.issues[0]?.message}`);
  const chunks = parsed.data as Chunk[];
  const embeddings = embedding.restore(dir);
  const store = await HNSWLib.load(path.join(dir, 'vector'), embeddings);
  return { retriever: new HybridRetriever(chunks, new LexicalIndex(chunks), store), manifest };
}

/** Loads the index when it matches the content and embedding, else builds it. */
export async function ensureIndex(
  dir: string,
  chunks: Chunk[],
  embedding: EmbeddingChoice,
  onProgress?: (p: BuildProgress) => void,
): Promise<{ retriever: HybridRetriever; manifest: IndexManifest; rebuilt: boolean }> {
  if (isFresh(dir, chunks, embedding)) {
    try {
      return { ...(await loadIndex(dir, embedding)), rebuilt: false };
    } catch {
      // A damaged index is rebuilt below.
    }
  }
  return { ...(await buildIndex(dir, chunks, embedding, onProgress)), rebuilt: true };
}
