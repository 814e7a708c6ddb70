const LEADING_MARKS = new Set(' /!¡¿?.,:;');
const TRAILING_MARKS = new Set(' !?.,:;');

/**
 * Lower-case, accent-free, punctuation-trimmed text for matching typed commands. The trim is
 * a plain scan from each end: an unanchored "marks+$" pattern rescanned every run of
 * punctuation from each of its positions, quadratic in the run's length.
 */
export function normalizeCommandText(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ');
  return trimChars(folded, LEADING_MARKS, TRAILING_MARKS);
}

/**
 * Text folded for substring matching (exercise cues): lower case, accents and Arabic short
 * vowels removed, Arabic alef and final-ya variants unified, typographic apostrophes made
 * plain, whitespace runs collapsed to one space. Unlike normalizeCommandText nothing is
 * trimmed, so a cue may keep a deliberate leading or trailing space (" as a ").
 */
export function foldForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, '')
    .normalize('NFC')
    .replace(/[\u0622\u0623\u0625]/g, '\u0627')
    .replace(/\u0649/g, '\u064a')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ');
}

/** "https://x.org//" → "https://x.org", for joining a configured base URL with a path. */
export function withoutTrailingSlashes(url: string): string {
  return trimChars(url, NO_CHARS, SLASH);
}
const NO_CHARS: ReadonlySet<string> = new Set();
const SLASH: ReadonlySet<string> = new Set('/');

/** Removes characters of `leading` from the start and of `trailing` from the end, in linear time. */
export function trimChars(text: string, leading: ReadonlySet<string>, trailing: ReadonlySet<string> = leading): string {
  let start = 0;
  let end = text.length;
  while (start < end && leading.has(text[start])) start++;
  while (end > start && trailing.has(text[end - 1])) end--;
  return text.slice(start, end);
}

/** Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** editDistance(a, b, 1) <= 1 in one pass, without the table: it runs for every term of a passage. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a.length < b.length) [a, b] = [b, a];
  if (a.length - b.length > 1) return false;
  let i = 0;
  while (i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === b.length) return true;
  // Past the first difference the rest must be equal, after a substitution (same length) or a deletion from the longer.
  const skipA = i + 1;
  const skipB = a.length === b.length ? i + 1 : i;
  return a.slice(skipA) === b.slice(skipB);
}

/** Eastern Arabic (and Persian) digits to Western digits, so "٠٨:٣٠" reads as "08:30". */
export function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** C0 and C1 control characters except tab, line feed and carriage return. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text from outside as it may be stored and shown: control characters (NUL among them, which
 * PostgreSQL refuses in text and JSON) removed, lone surrogates replaced with U+FFFD.
 */
export function cleanUserText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '').replace(LONE_SURROGATE, '\uFFFD');
}
