import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../config/config';
import { QaService } from '../../core/qa/answer-service';
import type { Logger } from '../../logging/logger';
import type { LlmPort } from '../../ports/llm';
import type { MetricsPort } from '../../ports/metrics';
import type { Chunk } from '../../ports/retrieval';
import type { RateLimitPort } from '../../ports/rate-limits';
import { createOpenAiSetup, type OpenAiSetup } from '../llm/openai-client';
import { OpenAiEmbeddings } from '../llm/openai-embeddings';
import { OpenAiLlm } from '../llm/openai-llm';
import { PromptLibrary } from '../llm/prompt-library';
import { MeasuredLlm } from '../metrics/measured-llm';
import { loadGlossary } from '../content/glossary-loader';
import { collectChunks } from './course-chunks';
import type { HybridRetriever } from './hybrid-retriever';
import { buildIndex, contentHash, ensureIndex, localEmbeddingChoice, type BuildProgress, type EmbeddingChoice, type IndexManifest } from './index-store';

const loaded = new Map<string, { retriever: HybridRetriever; manifest: IndexManifest }>();

/** The provider's embeddings when an embedding model is configured, else the local one. */
export function embeddingChoiceFor(setup: OpenAiSetup | undefined): EmbeddingChoice {
  if (setup?.embeddingModel) {
    const embeddings = new OpenAiEmbeddings({ ...setup, embeddingModel: setup.embeddingModel });
    return { id: embeddings.id, create: () => embeddings, restore: () => embeddings, persist: () => undefined };
  }
  return localEmbeddingChoice();
}

export function createLlm(setup: OpenAiSetup | undefined, metrics?: MetricsPort): LlmPort | undefined {
  if (!setup) return undefined;
  const llm = new OpenAiLlm(setup, PromptLibrary.load(), { metrics });
  return metrics ? new MeasuredLlm(llm, metrics) : llm;
}

export interface QaRuntime {
  service: QaService;
  retriever: HybridRetriever;
  manifest: IndexManifest;
  chunks: Chunk[];
  rebuilt: boolean;
  loadMs: number;
}

/**
 * Reads the course (every language present) and the reference documents, then loads the
 * index when it was built from exactly that content with the same embedding, or rebuilds it.
 */
/** How many of the documents with screened sentences the start-up warning names. */
const SCREENED_FILES_LISTED = 20;

export async function prepareQa(
  config: AppConfig,
  options: { logger?: Logger; metrics?: MetricsPort; limits?: RateLimitPort; rebuild?: boolean; offline?: boolean; onProgress?: (p: BuildProgress) => void } = {},
): Promise<QaRuntime> {
  const started = Date.now();
  const setup = options.offline ? undefined : createOpenAiSetup(config);
  // knowledge/references/ is the documented default place for extra reference documents.
  const defaultReferences = path.join(config.paths.knowledge, 'references');
  const referencesDir = config.paths.references ?? (fs.existsSync(defaultReferences) ? defaultReferences : undefined);
  // Screened sentences are reported in one line per start, not one per document: at 50× the course that was hundreds of lines.
  const screened = { files: [] as string[], dropped: {} as Record<string, number> };
  const chunks = await collectChunks(
    config.paths.knowledge,
    referencesDir,
    (file, reason) => options.logger?.warn({ file, reason }, 'reference document skipped: it could not be read'),
    (file, dropped) => {
      screened.files.push(file);
      for (const [reason, count] of Object.entries(dropped)) screened.dropped[reason] = (screened.dropped[reason] ?? 0) + (count ?? 0);
    },
  );
  if (screened.files.length) {
    options.logger?.warn(
      { documents: screened.files.length, dropped: screened.dropped, files: screened.files.slice(0, SCREENED_FILES_LISTED) },
      'reference documents: sentences with instructions, contact details, links or code left out of answers',
    );
  }
  let embedding = embeddingChoiceFor(setup);
  const hashedFor = embedding.id;
  const memoKey = contentHash(chunks, hashedFor);
  const build = (choice: EmbeddingChoice) =>
    options.rebuild
      ? buildIndex(config.paths.index, chunks, choice, options.onProgress).then((r) => ({ ...r, rebuilt: true }))
      : ensureIndex(config.paths.index, chunks, choice, options.onProgress, choice.id === hashedFor ? memoKey : undefined);
  let result: Awaited<ReturnType<typeof build>>;
  try {
    // Several apps in one process (tests, `npm run chat` after start) share one loaded index.
    const memo = options.rebuild ? undefined : loaded.get(memoKey);
    result = memo ? { ...memo, rebuilt: false } : await build(embedding);
    loaded.set(memoKey, result);
  } catch (err) {
    if (embedding.id === localEmbeddingChoice().id) throw err;
    // The provider's embeddings failed (network, quota): start with the local embedding rather than not at all.
    options.logger?.warn({ err: (err as Error).message, embedding: embedding.id }, 'building the index with the provider embedding failed; using the local embedding');
    embedding = localEmbeddingChoice();
    result = await build(embedding);
  }
  result.retriever.onVectorError = (err) => options.logger?.warn({ err: (err as Error).message }, 'vector search failed; answering from the lexical index');
  // A glossary with errors in one language leaves that language out; `npm run validate:course` reports it.
  const { glossary } = await loadGlossary(config.paths.knowledge);
  const service = new QaService({
    retrieval: result.retriever,
    llm: createLlm(setup, options.metrics),
    glossary,
    maxQuestionChars: config.QA_MAX_QUESTION_CHARS,
    logger: options.logger,
    limits: options.limits,
  });
  const loadMs = Date.now() - started;
  options.logger?.info({ chunks: chunks.length, byLanguage: result.manifest.byLanguage, rebuilt: result.rebuilt, embedding: embedding.id, ms: loadMs }, 'Q&A index ready');
  return { service, retriever: result.retriever, manifest: result.manifest, chunks, rebuilt: result.rebuilt, loadMs };
}
