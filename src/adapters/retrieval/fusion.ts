/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(d) = Σ weight / (k + rank). k = 60 is the
 * published default; it rewards documents both retrievers agree on without needing their raw
 * scores (BM25 and cosine distance) to be on the same scale.
 */
export function reciprocalRankFusion(lists: { ids: string[]; weight?: number }[], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const { ids, weight = 1 } of lists) {
    for (const [i, id] of ids.entries()) scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1));
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
