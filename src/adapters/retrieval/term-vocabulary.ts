/**
 * A language's index terms, sorted, with the two look-ups typed questions need beyond an exact
 * match: every term a stem is the prefix of, and every term within a few edits of a typo. The
 * sorted list is walked as if it were a trie: neighbouring terms share their prefix's rows of
 * the edit-distance table, and a prefix already too far from the query skips every term that
 * starts with it, so a look-up touches a small part of the vocabulary.
 */
export class TermVocabulary {
  private readonly positions = new Map<string, number>();
  /** Rows of the edit-distance table, one per prefix length, reused across look-ups. */
  private rows: Int32Array[] = [];

  /** `terms` must be sorted (code-unit order) and unique. */
  constructor(readonly terms: readonly string[]) {
    for (const [i, term] of terms.entries()) this.positions.set(term, i);
  }

  get size(): number {
    return this.terms.length;
  }

  position(term: string): number | undefined {
    return this.positions.get(term);
  }

  /** Positions of the terms that start with `prefix` (the term itself included, when known). */
  withPrefix(prefix: string): number[] {
    const out: number[] = [];
    for (let i = this.lowerBound(prefix); i < this.terms.length && this.terms[i]!.startsWith(prefix); i++) out.push(i);
    return out;
  }

  /**
   * Terms at most `max` edits (Levenshtein: insert, delete, substitute) from `query`, as
   * [position, distance] pairs; `from`/`to` limit the walk to a range of positions.
   */
  near(query: string, max: number, from = 0, to = this.terms.length): [number, number][] {
    const n = query.length;
    const out: [number, number][] = [];
    const rows = this.rowsFor(n);
    for (let j = 0; j <= n; j++) rows[0]![j] = j;
    let previous = '';
    // Rows 0..valid hold the table for previous's first `valid` letters.
    let valid = 0;
    let i = from;
    while (i < to) {
      const term = this.terms[i]!;
      let shared = 0;
      const limit = Math.min(valid, term.length, previous.length);
      while (shared < limit && term.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
      let pruned = 0;
      for (let d = shared + 1; d <= term.length; d++) {
        if (d >= rows.length) rows.push(new Int32Array(n + 1));
        const up = rows[d - 1]!;
        const row = rows[d]!;
        const letter = term.charCodeAt(d - 1);
        row[0] = d;
        let best = d;
        for (let j = 1; j <= n; j++) {
          const v = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + (query.charCodeAt(j - 1) === letter ? 0 : 1));
          row[j] = v;
          if (v < best) best = v;
        }
        if (best > max) {
          pruned = d;
          break;
        }
      }
      previous = term;
      if (pruned) {
        valid = pruned;
        // Every later term that starts with this prefix is as far away: skip them all.
        i = Math.max(i + 1, this.lowerBound(`${term.slice(0, pruned)}\uffff`));
        continue;
      }
      valid = term.length;
      const distance = rows[term.length]![n]!;
      if (distance <= max) out.push([i, distance]);
      i++;
    }
    return out;
  }

  /** The first position whose term is not below `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private rowsFor(n: number): Int32Array[] {
    if (!this.rows.length || this.rows[0]!.length !== n + 1) this.rows = [new Int32Array(n + 1)];
    return this.rows;
  }
}
