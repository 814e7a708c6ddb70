import { loadAllLanguages } from '../../adapters/content/course-loader';
import type { Chunk } from '../../ports/retrieval';
import { chunksFromCourse } from './chunking';
import { loadReferenceChunks, type FlaggedSentences } from './reference-documents';

/**
 * Every chunk to index: the course in every language present under the knowledge folder, and
 * the optional reference documents. A translation that is still in progress is indexed from
 * the files that are valid, so Q&A can use what exists; files with errors are left out.
 */
export async function collectChunks(knowledgeDir: string, referencesDir?: string, onSkipped?: (file: string, reason: string) => void, onFlagged?: FlaggedSentences): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  // The same parse the catalog uses (cached per content version): the course is read once per start.
  for (const load of await loadAllLanguages(knowledgeDir)) {
    if (!load.course) continue;
    chunks.push(...chunksFromCourse(load.course).filter((c) => !load.filesWithErrors.has(c.source)));
  }
  // concat, not push(...): a spread of 100,000 reference passages overflows the call stack.
  return referencesDir ? chunks.concat(await loadReferenceChunks(referencesDir, onSkipped, onFlagged)) : chunks;
}
