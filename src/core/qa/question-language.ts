import { hash } from 'node:crypto';
import { detectAll } from 'tinyld';
import type { Language } from '../../config/config-schema';

/**
 * Function words that mark one of the Latin-script course languages and are rare in the
 * others. Words shared by two languages ("la", "que", "de", "a") are left out on purpose.
 */
const MARKERS: Record<Exclude<Language, 'ar'>, string[]> = {
  en: ['the', 'what', 'when', 'which', 'who', 'why', 'how', 'is', 'are', 'was', 'were', 'does', 'did', 'do', 'of', 'and', 'to', 'it', 'can', 'should', 'about', 'many', 'with', 'from'],
  es: [
    'qué',
    'cuál',
    'cuáles',
    'cuándo',
    'cómo',
    'quién',
    'dónde',
    'el',
    'los',
    'las',
    'es',
    'son',
    'del',
    'y',
    'por',
    'una',
    'fue',
    'cuántos',
    'cuántas',
    'puedo',
    'debo',
    'sobre',
    'con',
    'lo',
    'hay',
  ],
  fr: [
    'quel',
    'quelle',
    'quels',
    'quelles',
    'quand',
    'comment',
    'qui',
    'le',
    'les',
    'est',
    'sont',
    'du',
    'des',
    'et',
    'pour',
    'une',
    'un',
    'combien',
    'pourquoi',
    'ce',
    'ou',
    'dans',
    'au',
    'aux',
    'je',
    'puis',
  ],
  pt: [
    'qual',
    'quais',
    'quando',
    'como',
    'quem',
    'onde',
    'os',
    'é',
    'são',
    'do',
    'da',
    'dos',
    'das',
    'e',
    'um',
    'uma',
    'foi',
    'quantos',
    'quantas',
    'posso',
    'devo',
    'sobre',
    'com',
    'o',
    'no',
    'na',
    'não',
  ],
};

const MARKER_SETS = (Object.entries(MARKERS) as [Exclude<Language, 'ar'>, string[]][]).map(([lang, words]) => [lang, new Set(words)] as const);

/** Characters that only (or mostly) one of the languages uses. */
const LETTERS: [RegExp, Exclude<Language, 'ar'>, number][] = [
  [/[¿¡ñ]/g, 'es', 2],
  [/[ãõ]|ção|ções/g, 'pt', 2],
  [/[èêëîïôûùœ]|qu'|l'|d'|c'est/g, 'fr', 2],
];

const ARABIC = /[\u0600-\u06ff]/g;

/** Languages the identifier chooses among (Arabic is recognised by its script). */
const LATIN_LANGUAGES: Exclude<Language, 'ar'>[] = ['en', 'es', 'fr', 'pt'];

/**
 * The language a question is written in, when that is clear; otherwise undefined so the
 * learner's own language is kept. Short or mixed questions ("GDPR?") are never reassigned.
 *
 * Two opinions: function words and letters only one language uses (precise, but silent on
 * short questions), and tinyld, a character n-gram language identifier (it also reads "elle a
 * été adoptée quand ?"). The learner's language is the prior: another language must clearly
 * win the identifier's vote to be chosen, so "Transparency register?" from a French learner
 * stays French while "les principes FAIR datent de quelle année ?" from an English-locale
 * learner is answered from the French course.
 */
export function detectQuestionLanguage(question: string, prior?: Language, knows?: KnowsWord): Language | undefined {
  const letters = question.replace(/[^\p{L}]/gu, '');
  if (!letters) return undefined;
  const arabic = (question.match(ARABIC) ?? []).length;
  if (arabic / letters.length > 0.4) return 'ar';

  const byMarkers = markerLanguage(question);
  if (byMarkers) return byMarkers;
  // Names and acronyms ("WCAG", "X-Road", "Robodebt") say nothing about the language.
  const words = question.split(/[^\p{L}'’]+/u).filter((w) => w.length > 1 && w !== w.toUpperCase());
  const byVocabulary = knows && prior ? vocabularyLanguage(question, prior, knows) : undefined;
  if (byVocabulary) return byVocabulary;
  if (words.length < 2) return undefined;
  const votes = identifierVotes(question, LATIN_LANGUAGES);
  const [best, second] = votes;
  if (!best) return undefined;
  const priorVote = votes.find((v) => v.lang === prior)?.accuracy ?? 0;
  const clear = best.accuracy >= 2 * (second?.accuracy ?? 0) && best.accuracy >= 2 * priorVote;
  return best.lang === prior || clear ? (best.lang as Language) : undefined;
}

function markerLanguage(question: string): Language | undefined {
  const lower = question.toLowerCase();
  const words = lower.split(/[^\p{L}'’]+/u).filter(Boolean);
  const scores = new Map<Exclude<Language, 'ar'>, number>();
  for (const [lang, markers] of MARKER_SETS) scores.set(lang, words.filter((w) => markers.has(w)).length);
  for (const [pattern, lang, weight] of LETTERS) scores.set(lang, (scores.get(lang) ?? 0) + (lower.match(pattern) ?? []).length * weight);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [[best, top], [, second]] = ranked;
  return top >= 2 && top >= second * 2 && top - second >= 2 ? best : undefined;
}

/** Whether a course language's content uses a word (or has it as a stop word). */
export type KnowsWord = (word: string, lang: Language) => boolean;

/** Share of a short question's words another course must know, beyond what the learner's course knows. */
const VOCABULARY_MIN_SHARE = 0.75;
// One word in three: in a three-word question, one more word known.
const VOCABULARY_MARGIN = 0.3;

/**
 * The third opinion, for short keyword questions that carry no function words ("falso positivo?",
 * "AI Playbook britannique ?", "principios de gobernanza de datos indígenas?"): which course knows
 * the words. Another language is chosen only when it knows nearly all of them and clearly more than
 * the learner's course does; a tie between two others (Spanish and Portuguese share many words) is
 * settled by the n-gram identifier.
 */
function vocabularyLanguage(question: string, prior: Language, knows: KnowsWord): Language | undefined {
  const words = question.split(/[^\p{L}\p{N}'’-]+/u).filter((w) => w.length > 1 && !/\d/.test(w));
  if (words.length < 2) return undefined;
  const share = (lang: Language) => words.filter((w) => knows(w, lang)).length / words.length;
  const own = share(prior);
  // English is never chosen this way: English names and terms ("Transparency register", "AI Act") are
  // common in every course, and a learner typing them usually wants their own course.
  const scored = LATIN_LANGUAGES.filter((l) => l !== prior && l !== 'en').map((lang) => ({ lang, s: share(lang) }));
  const top = Math.max(...scored.map((x) => x.s));
  if (top < VOCABULARY_MIN_SHARE || top - own < VOCABULARY_MARGIN) return undefined;
  const best = scored.filter((x) => x.s === top).map((x) => x.lang);
  if (best.length === 1) return best[0];
  return identifierVotes(question, best).find((v) => best.includes(v.lang as Exclude<Language, 'ar'>))?.lang as Language | undefined;
}

/** Questions whose identifier votes are kept (learners ask the same questions); past this many, all are forgotten. */
const VOTES_KEPT = 2000;
const keptVotes = new Map<string, ReturnType<typeof detectAll>>();

/**
 * tinyld's votes among `only`, kept per question: the identifier is the costliest part of
 * detection (about 60 µs when it runs). Kept under a digest of the text, so the process holds no
 * question (which may carry personal data) beyond its turn.
 */
function identifierVotes(question: string, only: string[]): ReturnType<typeof detectAll> {
  const key = hash('sha256', `${only.join(',')}\u0000${question}`, 'base64');
  const kept = keptVotes.get(key);
  if (kept) return kept;
  const fresh = detectAll(question, { only });
  if (keptVotes.size >= VOTES_KEPT) keptVotes.clear();
  keptVotes.set(key, fresh);
  return fresh;
}
