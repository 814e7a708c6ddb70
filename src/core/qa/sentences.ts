/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|art|arts|no|nos|para|p|pp|dr|mr|mrs|ms|prof|st|u\.s|u\.k|e\.u|fig|ed|eds|approx|cf|sr|sra|núm|núms|pág|ex|av|env|mme|mlle)\.$/i;

/** Splits a passage into sentences, keeping abbreviations, decimals and initials ("K.S. Puttaswamy") intact. */
export function splitSentences(text: string): string[] {
  const pieces = text.split(/(?<=[.!?؟…])\s+|\n+/);
  const out: string[] = [];
  for (const raw of pieces) {
    const piece = raw.trim();
    if (!piece) continue;
    const prev = out[out.length - 1];
    if (prev && (ABBREVIATIONS.test(prev) || /(?:^|[\s.])\p{Lu}\.$/u.test(prev) || (/^[a-z(\d]/.test(piece) && !/[!?؟]$/.test(prev) && /\d\.$/.test(prev)))) {
      out[out.length - 1] = `${prev} ${piece}`;
    } else out.push(piece);
  }
  return out;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
