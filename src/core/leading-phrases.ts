/**
 * Phrases found at the start of a text: the longest phrase the text is, or, for phrases that may
 * lead longer text, starts with followed by a space. Looked up in maps by the text and each of its
 * leading words, not by trying every phrase on every message. Texts and phrases are compared as
 * given: callers normalise both the same way.
 */
export class LeadingPhrases<T> {
  private readonly sorted: { phrase: string; value: T }[];
  /** Each phrase's first place in `sorted` (longest first), as the whole text and as a leading phrase. */
  private readonly whole = new Map<string, number>();
  private readonly leading = new Map<string, number>();

  constructor(entries: { phrase: string; value: T; leads?: boolean }[]) {
    const sorted = entries.filter((e) => e.phrase).sort((a, b) => b.phrase.length - a.phrase.length);
    for (const [i, { phrase, leads }] of sorted.entries()) {
      if (!this.whole.has(phrase)) this.whole.set(phrase, i);
      if (leads !== false && !this.leading.has(phrase)) this.leading.set(phrase, i);
    }
    this.sorted = sorted.map(({ phrase, value }) => ({ phrase, value }));
  }

  match(text: string): { phrase: string; value: T } | undefined {
    let best = this.whole.get(text) ?? this.sorted.length;
    for (let space = text.indexOf(' '); space > 0; space = text.indexOf(' ', space + 1)) {
      const at = this.leading.get(text.slice(0, space));
      if (at !== undefined && at < best) best = at;
    }
    return this.sorted[best];
  }
}
