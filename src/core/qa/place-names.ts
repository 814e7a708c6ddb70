import type { Language } from '../../config/config-schema';
import { analyzeWordTerms, foldText, wordTokens } from './text-analysis';

/**
 * Countries and territories, by their names in the course languages (ICU's region names, which
 * Node carries: no list of our own to keep up to date). People type them in lower case ("japan's
 * ai promotion act", "la ley del perú"), so capitals cannot tell them from everyday words; a
 * question about a country the course never mentions is about that country's law or strategy,
 * which the course does not teach (coverage.ts weighs such a place as an unknown name).
 */
const REGION_CODES = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)));

/** Shorter words and stems are left out: "us", "uk", Portuguese "cor" (from "Coreia") collide with everyday words. */
const minLetters = (lang: Language) => (lang === 'ar' ? 3 : 4);

const placeTerms = new Map<Language, Set<string>>();

function regionNames(lang: Language): string[] {
  const names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
  const out: string[] = [];
  for (const code of REGION_CODES) {
    // Every two-letter code is well-formed, so `of` never throws; codes that name no region give undefined.
    const name = names.of(code);
    if (name && name !== code) out.push(name);
  }
  return out;
}

/** The analysed terms of the words of every country's name, in `lang` and in English. */
function termsOf(lang: Language): Set<string> {
  const kept = placeTerms.get(lang);
  if (kept) return kept;
  const terms = new Set<string>();
  for (const name of new Set([...regionNames(lang), ...regionNames('en')])) {
    for (const word of wordTokens(name)) {
      if ([...word].length < minLetters(lang)) continue;
      for (const term of analyzeWordTerms(word, lang)) if ([...term].length >= minLetters(lang)) terms.add(term);
    }
  }
  placeTerms.set(lang, terms);
  return terms;
}

/** Whether an analysed term of a question in `lang` is (part of) a country's name. */
export function isPlaceTerm(term: string, lang: Language): boolean {
  return termsOf(lang).has(term);
}

/**
 * Words with which a learner says where they are or work ("I'm a civil servant in Ghana", "trabajo
 * en el Perú", "je suis au Mali", "sou de Angola", "أنا من الأردن", "our ministry in Peru"): a
 * country in that clause is the learner's context, not the question's topic.
 */
const SELF = new Set(
  `i im i'm we we're my our soy estoy trabajo somos estamos trabajamos mi mis nuestro nuestra
   je j suis travaille nous sommes travaillons mon ma notre sou estou trabalho somos estamos trabalhamos meu minha nosso nossa
   أنا انا أعمل اعمل نعمل نحن`
    .split(/\s+/)
    .map((w) => foldText(w)),
);

/**
 * The positions, among the question's word tokens (`words`, from wordTokens), of country names
 * said in a clause where the learner introduces themselves (see SELF): they weigh neither for nor
 * against the question.
 */
export function selfContextPlaces(question: string, words: string[], lang: Language): Set<number> {
  const out = new Set<number>();
  // Most questions introduce nobody: nothing to split.
  if (!words.some((w) => SELF.has(foldText(w)))) return out;
  let offset = 0;
  for (const clause of question.split(/[,.;:!?¿¡؟،\n]/)) {
    const clauseWords = wordTokens(clause);
    let introduced = false;
    clauseWords.forEach((word, i) => {
      if (SELF.has(foldText(word))) introduced = true;
      else if (introduced && analyzeWordTerms(word, lang).some((t) => isPlaceTerm(t, lang))) out.add(offset + i);
    });
    offset += clauseWords.length;
  }
  // The clauses' words are the question's words unless a word spanned a mark ("e.g."): then nothing is left out.
  return offset === words.length ? out : new Set();
}
