import { foldText, isStopWordInAnyLanguage, wordTokens } from '../../core/qa/text-analysis';
import type { TextSimilarityPort } from '../../ports/text-similarity';
import { LocalHashEmbeddings } from './local-embeddings';

/** Replies are short: fewer buckets than the course index keeps collisions rare enough. */
const DIMENSIONS = 1024;
/** A shared word prefix stands in for a stem across the five languages ("procurement", "procure"). */
const PREFIX = 6;

/**
 * Reply similarity as the retriever sees text: half lexical (TF-IDF cosine over folded word
 * prefixes, language-blind so a mixed-language thread still groups), half the local hashed
 * embedding (words, word pairs, character trigrams), both fitted on the replies themselves.
 */
export class ReplySimilarity implements TextSimilarityPort {
  similarities(texts: string[]): number[][] {
    const embeddings = LocalHashEmbeddings.fit(texts, DIMENSIONS);
    const vectors = texts.map((t) => embeddings.embed(t));
    const lexical = tfidf(texts);
    return texts.map((_, i) => texts.map((__, j) => (i === j ? 1 : 0.5 * Math.max(0, dot(vectors[i], vectors[j])) + 0.5 * cosine(lexical[i], lexical[j]))));
  }
}

function terms(text: string): string[] {
  return wordTokens(foldText(text))
    .filter((w) => w.length > 2 && !isStopWordInAnyLanguage(w))
    .map((w) => w.slice(0, PREFIX));
}

function tfidf(texts: string[]): Map<string, number>[] {
  const bags = texts.map((t) => {
    const bag = new Map<string, number>();
    for (const term of terms(t)) bag.set(term, (bag.get(term) ?? 0) + 1);
    return bag;
  });
  const df = new Map<string, number>();
  for (const bag of bags) for (const term of bag.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  return bags.map((bag) => {
    const weighted = new Map<string, number>();
    for (const [term, count] of bag) weighted.set(term, (1 + Math.log(count)) * Math.log((texts.length + 1) / (df.get(term)! + 0.5)));
    return weighted;
  });
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let num = 0;
  for (const [term, w] of a) num += w * (b.get(term) ?? 0);
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, w) => s + w * w, 0));
  const den = norm(a) * norm(b);
  return den ? Math.max(0, num / den) : 0;
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
