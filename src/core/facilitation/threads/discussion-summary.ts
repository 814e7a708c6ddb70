import { z } from 'zod';
import type { Language } from '../../../config/config-schema';
import { CodedError } from '../../../errors/coded-error';
import type { LlmPort } from '../../../ports/llm';
import type { TextSimilarityPort } from '../../../ports/text-similarity';
import { redactPersonalData } from '../../qa/pii-redaction';
import { splitSentences } from '../../qa/sentences';
import { foldText, isStopWordInAnyLanguage, wordTokens } from '../../qa/text-analysis';

/** Fewer people than this and a summary could point at someone: it is not made. */
export const SUMMARY_MIN_PEOPLE = 3;
const MAX_THEMES = 5;
const QUOTES_PER_THEME = 3;
const MAX_QUOTE_CHARS = 160;
const MAX_QUESTIONS = 5;
/** Average similarity two groups of replies need to be one theme (lexical + embedding, 0..1). */
const MERGE_THRESHOLD = 0.06;

export interface SummaryTheme {
  name: string;
  /** Replies that share it. */
  count: number;
  /** 2–3 short sentences taken verbatim from the (redacted) replies. */
  quotes: string[];
}

export interface ThemesDraft {
  themes: SummaryTheme[];
  /** The model's follow-up prompt; the extractive summary words its own from the locale. */
  followUp?: string;
  generator: 'extractive' | 'llm';
}

/** The replies as a summary may see them: personal data redacted, one per reply. */
export function redactedReplies(texts: string[]): string[] {
  return texts.map((t) => redactPersonalData(t).trim()).filter(Boolean);
}

/** Sentences the group asked (ending in ? or ؟), redacted, without repeats. */
export function groupQuestions(replies: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const reply of replies) {
    for (const sentence of splitSentences(reply)) {
      const s = sentence.trim();
      if (!(s.endsWith('?') || s.endsWith('؟')) || s.length < 8) continue;
      const key = foldText(s);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(shorten(s));
      if (out.length >= MAX_QUESTIONS) return out;
    }
  }
  return out;
}

/**
 * Offline themes: replies grouped by average-link clustering on their similarity, each theme
 * named by the words that set its replies apart from the rest, with the sentences of its most
 * central replies as quotes.
 */
export function extractiveThemes(replies: string[], similarity: TextSimilarityPort): ThemesDraft {
  const sim = similarity.similarities(replies);
  let clusters = replies.map((_, i) => [i]);
  const link = (a: number[], b: number[]) => {
    let s = 0;
    for (const i of a) for (const j of b) s += sim[i][j];
    return s / (a.length * b.length);
  };
  for (;;) {
    let best = { score: MERGE_THRESHOLD, a: -1, b: -1 };
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const score = link(clusters[a], clusters[b]);
        if (score >= best.score) best = { score, a, b };
      }
    }
    if (best.a < 0) break;
    clusters = [...clusters.filter((_, i) => i !== best.a && i !== best.b), [...clusters[best.a], ...clusters[best.b]]];
  }
  clusters.sort((x, y) => y.length - x.length);
  // A theme is something several people raised; single replies count only when nothing is shared.
  const shared = clusters.filter((c) => c.length > 1);
  const chosen = (shared.length ? shared : clusters).slice(0, MAX_THEMES);
  const themes = chosen.map((members) => {
    const others = replies.map((_, i) => i).filter((i) => !members.includes(i));
    const name = distinctiveTerms(
      members.map((i) => replies[i]),
      others.map((i) => replies[i]),
    );
    const central = [...members].sort((i, j) => centrality(j, members, sim) - centrality(i, members, sim));
    const quotes = central.slice(0, QUOTES_PER_THEME).map((i) => quoteOf(replies[i], name.terms));
    return { name: name.label, count: members.length, quotes: [...new Set(quotes)] };
  });
  return { themes, generator: 'extractive' };
}

function centrality(i: number, members: number[], sim: number[][]): number {
  return members.reduce((s, j) => s + (i === j ? 0 : sim[i][j]), 0);
}

const contentWords = (text: string) => wordTokens(text).filter((w) => w.length > 3 && !isStopWordInAnyLanguage(foldText(w)));

/** Up to three words frequent in the theme's replies and rarer elsewhere, in the form most used. */
function distinctiveTerms(inside: string[], outside: string[]): { label: string; terms: string[] } {
  const df = (texts: string[]) => {
    const counts = new Map<string, number>();
    const surface = new Map<string, Map<string, number>>();
    for (const text of texts) {
      const seen = new Set<string>();
      for (const word of contentWords(text)) {
        const key = foldText(word).slice(0, 6);
        const forms = surface.get(key) ?? new Map<string, number>();
        forms.set(word.toLowerCase(), (forms.get(word.toLowerCase()) ?? 0) + 1);
        surface.set(key, forms);
        if (seen.has(key)) continue;
        seen.add(key);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return { counts, surface };
  };
  const a = df(inside);
  const b = df(outside);
  const scored = [...a.counts.entries()]
    .map(([key, n]) => ({ key, score: n / inside.length - (b.counts.get(key) ?? 0) / Math.max(1, outside.length), n }))
    .filter((x) => x.n >= Math.min(2, inside.length))
    .sort((x, y) => y.score - x.score || y.n - x.n || (x.key < y.key ? -1 : 1))
    .slice(0, 3);
  const words = scored.map(({ key }) => [...a.surface.get(key)!.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0]);
  return { label: words.join(', ') || shorten(inside[0], 40), terms: scored.map((s) => s.key) };
}

/** The reply's sentence with most of the theme's words, shortened at a word boundary. */
function quoteOf(reply: string, terms: string[]): string {
  const sentences = splitSentences(reply);
  const hits = (s: string) => contentWords(s).filter((w) => terms.includes(foldText(w).slice(0, 6))).length;
  const best = sentences.reduce((x, y) => (hits(y) > hits(x) ? y : x), sentences[0] ?? reply);
  return shorten(best);
}

function shorten(text: string, max = MAX_QUOTE_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const llmSummarySchema = z.object({
  themes: z
    .array(z.object({ name: z.string().min(1).max(80), replies: z.array(z.number().int().min(1)).min(1), quotes: z.array(z.string().min(1).max(400)).min(1).max(QUOTES_PER_THEME) }))
    .min(1)
    .max(MAX_THEMES),
  followUp: z.string().min(1).max(400),
});

/** Why a model's summary was not used (logged; the extractive summary is shown instead). */
export class SummaryRejectedError extends CodedError<'discussion_summary_rejected'> {
  constructor(message: string) {
    super('discussion_summary_rejected', message);
  }
}

/**
 * The model's themes from the redacted replies, kept only when every quote is really in a reply
 * (after the same shortening) and every reply number exists; anything else throws so the caller
 * falls back to the extractive themes.
 */
export async function modelThemes(llm: LlmPort, replies: string[], lang: Language, signal?: AbortSignal): Promise<ThemesDraft> {
  if (!llm.discussionSummary) throw new SummaryRejectedError('the model cannot summarise discussions');
  const raw = await llm.discussionSummary({ lang, replies: replies.map((text, i) => ({ n: i + 1, text })) }, { signal });
  const json = raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SummaryRejectedError('the model did not answer with JSON');
  }
  const result = llmSummarySchema.safeParse(parsed);
  if (!result.success) throw new SummaryRejectedError(`the model's summary has the wrong shape: ${result.error.issues[0]?.path.join('.')} ${result.error.issues[0]?.message}`);
  const folded = replies.map((r) => foldText(r.replace(/\s+/g, ' ')));
  const themes = result.data.themes.map((theme) => {
    const numbers = [...new Set(theme.replies)];
    if (numbers.some((n) => n > replies.length)) throw new SummaryRejectedError('the model cited a reply that does not exist');
    for (const quote of theme.quotes) {
      const q = foldText(quote.replace(/\s+/g, ' ').replace(/…$/, '').trim());
      if (!q || !folded.some((r) => r.includes(q))) throw new SummaryRejectedError('a quote is not in any reply');
    }
    return { name: theme.name, count: numbers.length, quotes: theme.quotes.map((q) => shorten(q)) };
  });
  return { themes, followUp: result.data.followUp, generator: 'llm' };
}
