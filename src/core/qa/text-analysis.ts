import { newStemmer, type Stemmer } from 'snowball-stemmers';
import type { Language } from '../../config/config-schema';
import { westernDigits } from '../text-normalize';

/**
 * Per-language text analysis shared by the lexical index, the local embedding and the
 * extractive answerer, so that a question and the course text are reduced to the same terms:
 * lower case, stop words (including question words) removed, Snowball stems, accents folded,
 * Arabic diacritics, tatweel and letter forms normalised, Eastern Arabic digits made Western.
 */

const STEMMER_NAMES: Record<Language, string> = { en: 'english', es: 'spanish', fr: 'french', pt: 'portuguese', ar: 'arabic' };

const STOP_WORDS: Record<Language, string> = {
  en: `a about above after again against all also am an and any are as at be because been before being below between both but by can
    could did do does doing down during each even ever few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same
    she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom whose why will with would you your yours yourself yourselves tell explain describe define
    mean means meaning please know does did many much kind kinds type types say said says happen happened stand stands
    acronym abbreviation`,
  es: `a al algo algunas algunos ante antes como con contra cual cuales cuando cuándo cuál cuáles de del desde donde dónde durante e el él ella
    ellas ellos en entre era eran es esa esas ese eso esos esta estaba estas este esto estos fue fueron ha han hay la las le les lo los mas más me
    mi mis muy no nos o os otra otras otro otros para pero poco por porque qué que quien quién quienes se sea ser si sí sin sobre son su sus
    también te tiene tienen todo todos tu tus un una uno unos y ya yo cómo como cuánto cuánta cuántos cuántas significa explica dime
    siglas sigla acrónimo`,
  fr: `a à au aux avec ce ces cet cette comme dans de des du elle elles en est et être été eu il ils je la le les leur leurs lui ma mais me même
    mes moi mon ne nos notre nous on ou où par pas pour qu que quel quelle quelles quels qui sa sans se ses son sont sur ta te tes toi ton tu un
    une vos votre vous y quand comment combien pourquoi quoi est-ce ont été sont était étaient cela ça ceci l d s c n qu j m t explique signifie
    acronyme sigle veut dire ai as avons avez suis es sommes êtes fait faut peut`,
  pt: `a à ao aos as às com como da das de do dos e é ela elas ele eles em entre era eram essa essas esse esses esta estas este estes eu foi
    foram há isso isto já lhe lhes mais mas me mesmo meu minha muito na nas nem no nos nós o os ou para pela pelas pelo pelos por qual quais
    quando quanto quantos quantas que quem se sem ser seu seus sua suas também te tem têm um uma umas uns você vocês onde porque como significa
    explique diga sigla acrónimo acrônimo`,
  ar: `في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم هن أن ان إن كان كانت يكون ما ماذا متى كيف لماذا أين اين هل كم أي اي
    او أو و ثم قد لقد لا لم لن بين كل بعض عند عندما حتى إذا اذا فيما ضد نحو لدى منذ خلال بعد قبل فوق تحت أيضا ايضا كما لكن بل غير تم التى
    ذات الى اشرح يعني اختصار تعني`,
};

/**
 * Words that frame a question rather than name its topic ("what went wrong with X", "how does X
 * work", "¿qué pasó con X?"). They stay searchable, but do not count against coverage when
 * judging whether the course covers a question.
 */
const QUESTION_FRAMING: Record<Language, string> = {
  en: 'happen happened happens went go goes gone wrong work works example examples',
  es: 'pasó pasa paso ocurrió ocurre salió sale mal funciona funcionan ejemplo ejemplos',
  fr: 'passé passe arrivé arrive mal marche fonctionne fonctionnent exemple exemples',
  pt: 'aconteceu acontece correu corre mal funciona funcionam exemplo exemplos',
  ar: 'حدث يحدث جرى يعمل تعمل مثال أمثلة',
};

const stopSets = new Map<Language, Set<string>>();
const framingSets = new Map<Language, Set<string>>();

export function isQuestionFraming(term: string, lang: Language): boolean {
  let set = framingSets.get(lang);
  if (!set) {
    set = new Set(QUESTION_FRAMING[lang].split(/\s+/).flatMap((w) => analyzeWordTerms(w, lang)));
    framingSets.set(lang, set);
  }
  return set.has(term);
}
const stemmers = new Map<Language, Stemmer>();

function stopSet(lang: Language): Set<string> {
  let set = stopSets.get(lang);
  if (!set) {
    set = new Set(STOP_WORDS[lang].split(/\s+/).filter(Boolean).map((w) => foldText(w, lang)));
    stopSets.set(lang, set);
  }
  return set;
}

function stemmer(lang: Language): Stemmer {
  let s = stemmers.get(lang);
  if (!s) {
    s = newStemmer(STEMMER_NAMES[lang]);
    stemmers.set(lang, s);
  }
  return s;
}


/** Arabic: drop diacritics and tatweel, unify alef, yeh, teh marbuta, hamza seats. */
export function normalizeArabic(text: string): string {
  return text
    .replace(/[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي');
}

/** Lower case, accent-free (Latin) or normalised (Arabic) text with Western digits. */
export function foldText(text: string, lang?: Language): string {
  let out = westernDigits(text.normalize('NFKC'));
  if (lang === 'ar' || /[\u0600-\u06ff]/.test(out)) out = normalizeArabic(out);
  return out
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Word tokens in their original form (letters, marks and digits; apostrophes split words). */
export function wordTokens(text: string): string[] {
  return text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

const termCache = new Map<string, string[]>();

/**
 * One word to its index terms: none for stop words and one-letter words; usually one stem.
 * Snowball stemmers for es, fr and pt expect accents ("evaluación" → "evalu") while learners
 * often type without them ("evaluacion" → "evaluacion"): an accented word also yields the stem
 * of its unaccented spelling, so both spellings meet.
 */
export function analyzeWordTerms(word: string, lang: Language): string[] {
  const key = `${lang}\u0000${word}`;
  const cached = termCache.get(key);
  if (cached) return cached;
  let terms: string[] = [];
  const lower = lang === 'ar' ? normalizeArabic(westernDigits(word)) : westernDigits(word).toLowerCase();
  const folded = foldText(lower, lang);
  if (!stopSet(lang).has(folded) && (folded.length > 1 || /\d/.test(folded))) {
    if (/^\d/.test(folded)) terms = [folded];
    else {
      const stem = foldText(stemmer(lang).stem(lower), lang);
      const plain = folded !== lower && lang !== 'ar' ? foldText(stemmer(lang).stem(folded), lang) : stem;
      terms = plain === stem ? [stem] : [stem, plain];
    }
  }
  if (termCache.size > 50000) termCache.clear();
  termCache.set(key, terms);
  return terms;
}

/** The main index term of a word (its stem), or undefined for stop words. */
export function analyzeWord(word: string, lang: Language): string | undefined {
  return analyzeWordTerms(word, lang)[0];
}

/** Text to index terms (in order, with repeats). */
export function analyze(text: string, lang: Language): string[] {
  const out: string[] = [];
  for (const word of wordTokens(text)) out.push(...analyzeWordTerms(word, lang));
  return out;
}

/** What a question asks for, so that sentences with numbers or dates can be preferred. */
export type QuestionFocus = 'when' | 'how-many' | 'other';

const WHEN = /\b(when|what year|which year|since when|cu[aá]ndo|desde cu[aá]ndo|en qu[eé] a[nñ]o|quand|en quelle ann[ée]e|depuis quand|quando|em que ano|desde quando)\b|متى|في أي عام|في اي عام|منذ متى/i;
const HOW_MANY = /\b(how many|how much|how long|how old|what percentage|what share|cu[aá]nt[oa]s?|combien|quant[oa]s?)\b|كم/i;

export function questionFocus(question: string): QuestionFocus {
  if (WHEN.test(question)) return 'when';
  if (HOW_MANY.test(question)) return 'how-many';
  return 'other';
}

let anyStop: Set<string> | undefined;

/** True for a folded word that is a stop word in any supported language (for language-blind features). */
export function isStopWordInAnyLanguage(folded: string): boolean {
  if (!anyStop) {
    anyStop = new Set<string>();
    for (const lang of Object.keys(STOP_WORDS) as Language[]) for (const w of stopSet(lang)) anyStop.add(w);
  }
  return anyStop.has(folded);
}
