/**
 * Reply text is light Markdown. Text a person supplied (a name, a question, a cohort or poll
 * name) goes into it through `literal`, so that "[Verified](https://…)" or "**" shows as typed
 * on every surface: each renderer reads the backslash escapes (CommonMark's own) and writes
 * the character literally in its format.
 */
const ALWAYS = new Set(['\\', '`', '*', '_', '[', ']', '(', ')', '<', '>', '#', '~', '|', '!']);
/** List markers mean something only at the start of a line. */
const AT_LINE_START = new Set(['-', '+']);

export function literal(text: string): string {
  let out = '';
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (ALWAYS.has(c) || (lineStart && AT_LINE_START.has(c)) || (c === '.' && /\d/.test(text[i - 1] ?? '') && startsWithDigits(text, i))) out += `\\${c}`;
    else out += c;
    if (c === '\n') lineStart = true;
    else if (c !== ' ' && c !== '\t') lineStart = false;
  }
  return out;
}

/** True when the digits just before `dot` begin their line ("12." is an ordered-list marker). */
function startsWithDigits(text: string, dot: number): boolean {
  let i = dot - 1;
  while (i >= 0 && text[i] >= '0' && text[i] <= '9') i--;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '\n';
}
