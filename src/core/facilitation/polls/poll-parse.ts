import { SUPPORTED_LANGUAGES } from '../../../config/config-schema';
import type { Translate } from '../../../i18n/i18n';
import { parseReminderTime } from '../../reminders/reminder-time';
import { westernDigits } from '../../text-normalize';
import { POLL_MAX_OPTIONS, POLL_MIN_OPTIONS } from './poll-store';

export const MAX_QUESTION_CHARS = 300;
export const MAX_OPTION_CHARS = 150;
const MAX_CLOSING_MINUTES = 30 * 24 * 60;

export type PollClosing = { kind: 'at'; time: string } | { kind: 'in'; minutes: number };

export interface PollSpec {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  closes?: PollClosing;
}

export type PollParseProblem = 'usage' | 'emptyQuestion' | 'tooFewOptions' | 'tooManyOptions' | 'questionTooLong' | 'optionTooLong' | 'emptyOption' | 'duplicateOptions' | 'badClosing';

export type PollParseResult = { ok: true; spec: PollSpec } | { ok: false; problem: PollParseProblem };

/** Opening quote → the quotes that may close it (straight, curly, low-9 and guillemets). */
const CLOSERS: Record<string, string[]> = {
  '"': ['"', '”', '“'],
  '“': ['”', '"', '“'],
  '”': ['”', '"'],
  '„': ['“', '”', '"'],
  '«': ['»'],
  '‘': ['’', "'"],
  "'": ["'", '’'],
  '‚': ['‘', '’'],
};

interface Token {
  text: string;
  quoted: boolean;
}

/** Splits typed text into quoted phrases and bare words (no regular expressions: linear and safe on any input). */
export function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0') {
      i++;
      continue;
    }
    const closers = CLOSERS[c];
    if (closers) {
      let j = i + 1;
      while (j < text.length && !(closers.includes(text[j]) && (j + 1 === text.length || isSpace(text[j + 1]) || CLOSERS[text[j + 1]] !== undefined))) j++;
      if (j >= text.length) return undefined; // an unclosed quote
      tokens.push({
        text: text
          .slice(i + 1, j)
          .replace(/\s+/g, ' ')
          .trim(),
        quoted: true,
      });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !isSpace(text[j])) j++;
    tokens.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  return tokens;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0';
}

/** The words of a keyword in every language (a facilitator may type English in a Spanish chat). */
function wordsOf(t: Translate, key: string): Set<string> {
  const out = new Set<string>();
  for (const lng of SUPPORTED_LANGUAGES) {
    const words = t(key, { lng, returnObjects: true }) as unknown;
    if (Array.isArray(words)) for (const w of words) if (typeof w === 'string') out.add(w.toLowerCase());
  }
  return out;
}

/** `"Question?" "Option A" "Option B" [multiple] [named] [closes 17:00 | closes in 2h]`. */
export function parsePollCommand(text: string, t: Translate): PollParseResult {
  const tokens = tokenize(text);
  if (!tokens) return { ok: false, problem: 'usage' };
  const kw = {
    multiple: wordsOf(t, 'facilitation:polls.keywords.multiple'),
    single: wordsOf(t, 'facilitation:polls.keywords.single'),
    named: wordsOf(t, 'facilitation:polls.keywords.named'),
    anonymous: wordsOf(t, 'facilitation:polls.keywords.anonymous'),
    closes: wordsOf(t, 'facilitation:polls.keywords.closes'),
    in: wordsOf(t, 'facilitation:polls.keywords.in'),
  };
  const quoted: string[] = [];
  let multiple = false;
  let anonymous = true;
  let closes: PollClosing | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.quoted) {
      quoted.push(token.text);
      continue;
    }
    const word = token.text.toLowerCase();
    if (kw.multiple.has(word)) multiple = true;
    else if (kw.single.has(word)) multiple = false;
    else if (kw.named.has(word)) anonymous = false;
    else if (kw.anonymous.has(word)) anonymous = true;
    else if (kw.closes.has(word)) {
      const after = tokens.slice(i + 1);
      const firstQuoted = after.findIndex((x) => x.quoted);
      const rest = (firstQuoted < 0 ? after : after.slice(0, firstQuoted)).map((x) => x.text);
      const parsed = parseClosing(rest, kw.in, t);
      if (!parsed) return { ok: false, problem: 'badClosing' };
      closes = parsed.closing;
      i += parsed.used;
    } else return { ok: false, problem: 'usage' };
  }
  if (!quoted.length) return { ok: false, problem: 'usage' };
  const [question, ...options] = quoted;
  if (!question) return { ok: false, problem: 'emptyQuestion' };
  if (question.length > MAX_QUESTION_CHARS) return { ok: false, problem: 'questionTooLong' };
  if (options.some((o) => !o)) return { ok: false, problem: 'emptyOption' };
  if (options.length < POLL_MIN_OPTIONS) return { ok: false, problem: 'tooFewOptions' };
  if (options.length > POLL_MAX_OPTIONS) return { ok: false, problem: 'tooManyOptions' };
  if (options.some((o) => o.length > MAX_OPTION_CHARS)) return { ok: false, problem: 'optionTooLong' };
  if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) return { ok: false, problem: 'duplicateOptions' };
  return { ok: true, spec: { question, options, multiple, anonymous, ...(closes ? { closes } : {}) } };
}

/** `17:00`, `5pm`, `in 2h`, `in 90 min`, `2h`. Returns how many words it used. */
function parseClosing(words: string[], inWords: Set<string>, t: Translate): { closing: PollClosing; used: number } | undefined {
  if (!words.length) return undefined;
  let used = 0;
  let first = words[0].toLowerCase();
  const saidIn = inWords.has(first);
  if (saidIn) {
    used = 1;
    first = (words[1] ?? '').toLowerCase();
  }
  if (!saidIn) {
    // A clock time: "17:00", or two words such as "5 pm".
    const two = words.slice(0, 2).join(' ');
    if (words.length > 1 && parseReminderTime(two) && !parseReminderTime(words[0])) return { closing: { kind: 'at', time: parseReminderTime(two)! }, used: 2 };
    const time = parseReminderTime(words[0]);
    if (time) return { closing: { kind: 'at', time }, used: 1 };
  }
  // A duration: "2h", "90min", or "2 hours".
  const digits = westernDigits(first);
  let n = 0;
  let k = 0;
  while (k < digits.length && digits[k] >= '0' && digits[k] <= '9' && k < 5) n = n * 10 + Number(digits[k++]);
  if (k === 0) return undefined;
  let unit = digits.slice(k);
  used += 1;
  if (!unit) {
    unit = (words[used] ?? '').toLowerCase();
    if (!unit) return undefined;
    used += 1;
  }
  const factor = unitMinutes(unit, t);
  if (!factor || n <= 0 || n * factor > MAX_CLOSING_MINUTES) return undefined;
  return { closing: { kind: 'in', minutes: n * factor }, used };
}

function unitMinutes(unit: string, t: Translate): number | undefined {
  if (wordsOf(t, 'facilitation:polls.keywords.minutes').has(unit)) return 1;
  if (wordsOf(t, 'facilitation:polls.keywords.hours').has(unit)) return 60;
  if (wordsOf(t, 'facilitation:polls.keywords.days').has(unit)) return 24 * 60;
  return undefined;
}
