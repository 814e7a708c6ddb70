/**
 * Bidirectional isolation for right-to-left text. In an Arabic sentence a Latin acronym or a
 * number next to punctuation ("(AI)", "70%", "ISO 27001:") is reordered by the Unicode bidi
 * algorithm in ways that break the sentence; wrapping each left-to-right run in LRI … PDI
 * (U+2066 … U+2069) keeps it one unit, laid out left to right, inside the right-to-left line.
 */
const LRI = '\u2066';
const PDI = '\u2069';
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
/**
 * One left-to-right run, as a fixed pattern (each step takes one character, so matching is linear):
 * - a Markdown link target `](…)`, captured and left alone so links keep working (it stops at
 *   the next bracket, so runs of "](" cannot make it rescan);
 * - a web address as a whole, without trailing sentence punctuation or a closing bracket;
 * - Latin words and numbers joined by single spaces or in-word punctuation ("GPT-4", "3.5", "npm run chat", "70%").
 */
const LTR_RUN =
  /(\]\([^()\s\]]*\))|https?:\/\/(?:[^\s()<>«».,:;!?]|[.,:;!?](?=[^\s()<>«».,:;!?]))+|[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f]|[.,:/+\-_@&'](?=[A-Za-z0-9\u00c0-\u024f])| (?=[A-Za-z0-9\u00c0-\u024f]))*%?/g;

/** The text with each left-to-right run isolated, when it contains Arabic; other text is returned unchanged. */
export function isolateLtrRuns(text: string): string {
  // Already isolated (a renderer did it, then the web chat edge sees it again): leave it.
  if (!ARABIC.test(text) || text.includes(LRI)) return text;
  return text.replace(LTR_RUN, (run, linkTarget?: string) => (linkTarget ? run : `${LRI}${run}${PDI}`));
}
