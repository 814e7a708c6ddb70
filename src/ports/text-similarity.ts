/**
 * How alike short texts are (discussion replies), with the retrieval code's lexical and local
 * embedding features, for grouping them into themes. Fitted on the texts it is given: no index,
 * no network.
 */
export interface TextSimilarityPort {
  /** A symmetric matrix of similarities in [0, 1] between every pair of `texts` (1 on the diagonal). */
  similarities(texts: string[]): number[][];
}
