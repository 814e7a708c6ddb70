import { newStemmer, type Stemmer } from 'snowball-stemmers';
import type { Language } from '../../config/config-schema';
import { editDistance, westernDigits } from '../text-normalize';

/**
 * Per-language text analysis shared by the lexical index, the local embedding and the
 * extractive answerer, so that a question and the course text are reduced to the same terms:
 * lower case, stop words (including question words and their chat spellings: "oque", "pq",
 * "whats") removed, Snowball stems, accents folded,
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
    acronym abbreviation whats hows wats wat pls plz ur`,
  es: `a al algo algunas algunos ante antes como con contra cual cuales cuando cuándo cuál cuáles de del desde donde dónde durante e el él ella
    ellas ellos en entre era eran es esa esas ese eso esos esta estaba estas este esto estos fue fueron ha han hay la las le les lo los mas más me
    mi mis muy no nos o os otra otras otro otros para pero poco por porque qué que quien quién quienes se sea ser si sí sin sobre son su sus
    también te tiene tienen todo todos tu tus un una uno unos y ya yo cómo como cuánto cuánta cuántos cuántas significa explica dime
    siglas sigla acrónimo xq pq porq xfa mismo misma mismos mismas`,
  fr: `a à au aux avec ce ces cet cette comme dans de des du elle elles en est et être été eu il ils je la le les leur leurs lui ma mais me même
    mes moi mon ne nos notre nous on ou où par pas pour qu que quel quelle quelles quels qui sa sans se ses son sont sur ta te tes toi ton tu un
    une vos votre vous y quand comment combien pourquoi quoi est-ce ont été sont était étaient cela ça ceci l d s c n qu j m t explique signifie
    acronyme sigle veut dire ai as avons avez suis es sommes êtes fait faut peut koi pk pq stp svp mêmes
    après avant chez contre depuis dès durant jusqu lors malgré parmi pendant selon sous vers`,
  pt: `a à ao aos as às com como da das de do dos e é ela elas ele eles em entre era eram essa essas esse esses esta estas este estes eu foi
    foram há isso isto já lhe lhes mais mas me mesmo meu minha muito na nas nem no nos nós o os ou para pela pelas pelo pelos por qual quais
    quando quanto quantos quantas que quem se sem ser seu seus sua suas também te tem têm um uma umas uns você vocês onde porque como significa
    explique diga sigla acrónimo acrônimo oque pq vc vcs tb tbm mesma mesmos mesmas pra pro pras pros num numa q
    após antes até contra depois desde durante perante sobre`,
  ar: `في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم هن أن ان إن كان كانت يكون ما ماذا متى كيف لماذا أين اين هل كم أي اي
    او أو و ثم قد لقد لا لم لن بين كل بعض عند عندما حتى إذا اذا فيما ضد نحو لدى منذ خلال بعد قبل فوق تحت أيضا ايضا كما لكن بل غير تم التى
    ذات الى اشرح يعني اختصار تعني`,
};

/**
 * Words that frame a question rather than name its topic ("what went wrong with X", "how does X
 * work", "¿qué pasó con X?"), and the procedural words of how-to questions ("how do I make sure…",
 * "¿cómo puedo…", "comment faire pour…", "como faço…", "كيف يمكنني…"): the object is the topic,
 * not "want", "need" or "make". The word for year or date ("kenya ruling, year?") asks for one (see
 * questionFocus) rather than naming a topic. They are left out of the searched query and of coverage.
 */
const QUESTION_FRAMING: Record<Language, string> = {
  en: `happen happened happens went go goes gone wrong work works example examples
    want wants need needs make sure way ways best able get getting start begin someone something thing things actually really exactly
    called call name named anything everything year years date
    stuff basically kinda sorta literally concretely simply briefly quick quickly nutshell decent`,
  es: `pasó pasa paso ocurrió ocurre salió sale mal funciona funcionan ejemplo ejemplos
    quiero queremos quieres necesito necesitamos hacer hago hacemos hace puedo podemos puede debo debemos deberíamos debería
    manera forma modo mejor asegurar asegurarme llama llaman llamaba nombre realmente exactamente cosa cosas voy vamos tengo tenemos
    año años fecha
    concretamente básicamente simplemente rápido rápidamente brevemente`,
  fr: `passé passe arrivé arrive mal marche fonctionne fonctionnent exemple exemples
    veux voulons voudrais faut faire fais faisons peux pouvons dois devons devrait façon manière moyen mieux assurer
    appelle appellent appelait nom vraiment exactement chose choses truc va vais allons année années
    concrètement genre gros bref simplement rapidement vite`,
  pt: `aconteceu acontece correu corre mal funciona funcionam exemplo exemplos
    quero queremos preciso precisamos fazer faço fazemos faz posso podemos pode devo devemos deveria maneira forma modo melhor
    garantir chama chamam chamava nome realmente exatamente coisa coisas vou vamos tenho temos gente ano anos
    concretamente basicamente simplesmente rápido rapidamente tipo`,
  ar: `حدث يحدث جرى يعمل تعمل مثال أمثلة أريد نريد أحتاج نحتاج أفعل نفعل أستطيع نستطيع يمكن يمكنني يمكننا يجب ينبغي علي علينا
    طريقة أفضل اسم يسمى تسمى فعلا حقا بالضبط شيء أشياء أجعل نجعل أبدأ نبدأ أتأكد نتأكد
    باختصار ببساطة بسرعة`,
};

const stopSets = new Map<Language, Set<string>>();
const framingSets = new Map<Language, Set<string>>();

/** An acronym ("FAIR", "RAG") names a topic even where its letters spell a framing word ("faire"). */
export function isAcronym(word: string): boolean {
  return word.length >= 2 && word === word.toUpperCase() && word !== word.toLowerCase();
}

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
    set = new Set(
      STOP_WORDS[lang]
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => foldText(w, lang)),
    );
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

/**
 * An Arabic word's terms. The Snowball stemmer reads the teh marbuta and hamza seats, so it gets
 * the word before normalisation (only diacritics and tatweel gone), else "المستقلة" and "مستقلة"
 * part; the article with its attached conjunction or preposition ("والأنظمة", "للأنظمة", which it
 * strips only sometimes) and the feminine plural's alef it leaves on ("قرارات" → "قرارا") are
 * removed so that every form of a word meets. The preposition li ("for, to") attached to a word
 * without the article ("لأتمتة", to automate) the stemmer leaves on too; words that begin with lam
 * themselves ("لائحة") cannot be told from it by their letters, so a word (after any article) of
 * lam and four letters or more yields the term of the rest first and its own term after: "لأتمتة"
 * meets "أتمتة", and "لائحة", "اللائحة" and "للائحة" still share a term. Shorter remainders
 * ("لجنة" → "جنة") are too often another word, and a function word is not split ("لدينا").
 */
function arabicTerms(word: string): string[] {
  const bare = word.replace(ARABIC_MARKS, '');
  const article = ARABIC_ARTICLE.exec(bare)?.[0] ?? '';
  const stripped = bare.length - article.length >= 3 ? bare.slice(article.length) : bare;
  // Typed Arabic often ends a word with ى for ي and, after the article, ه for ة ("الحكومى", "البدايه").
  const unjoined = (stripped !== bare ? stripped.replace(/ه$/, 'ة') : stripped).replace(/ى$/, 'ي');
  const own = arabicStem(unjoined);
  const shortest = /^ل[أإآ]/.test(unjoined) ? 3 : 4;
  if (!unjoined.startsWith('ل') || unjoined.length - 1 < shortest || isLamFunctionWord(unjoined)) return [own];
  const rest = arabicStem(unjoined.slice(1));
  return rest === own ? [own] : [rest, own];
}

function arabicStem(unjoined: string): string {
  const stem = foldText(stemmer('ar').stem(unjoined), 'ar');
  return /ات$/.test(unjoined) && /ا$/.test(stem) && stem.length > 3 ? stem.slice(0, -1) : stem;
}

/**
 * A word of lam that is a stop word with "for" before it ("لهذا", for this) or a pronoun after it
 * ("لدينا", we have: lam is part of "لدى"). Not a pronoun's yeh, which also ends adjectives, nor a
 * heh that stands for a teh marbuta.
 */
function isLamFunctionWord(unjoined: string): boolean {
  const stops = stopSet('ar');
  const folded = normalizeArabic(unjoined);
  const pronouns = unjoined.endsWith('ة') ? ARABIC_PRONOUNS.filter((p) => p !== 'ه') : ARABIC_PRONOUNS;
  return [folded, folded.slice(1)].some((w) => stops.has(w) || pronouns.some((p) => w.endsWith(p) && w.length - p.length >= 2 && stops.has(w.slice(0, -p.length))));
}

/** Attached pronouns, normalised (heh and teh marbuta are one letter then). */
const ARABIC_PRONOUNS = ['هما', 'هم', 'هن', 'ها', 'نا', 'كم', 'كن', 'ه', 'ك'];

const ARABIC_ARTICLE = /^(وال|فال|بال|كال|لل|ال)/;
const ARABIC_MARKS = /[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;

/** Arabic: drop diacritics and tatweel, unify alef, yeh, teh marbuta, hamza seats. */
export function normalizeArabic(text: string): string {
  return text
    .replace(ARABIC_MARKS, '')
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

/**
 * Abbreviations written as two words ("EE. UU." for Estados Unidos), each standing for its word,
 * and the clipped words people type ("infos", "stats", "admin") for the course's full ones.
 */
const ABBREVIATED: Partial<Record<Language, Record<string, string>>> = {
  en: { info: 'information', stats: 'statistics', docs: 'documents', admin: 'administration', uni: 'university', govt: 'government', gov: 'government' },
  es: { ee: 'estados', uu: 'unidos', eeuu: 'unidos', info: 'información', admin: 'administración', uni: 'universidad' },
  fr: { info: 'information', infos: 'informations', appli: 'application', applis: 'applications', stats: 'statistiques', docs: 'documents', admin: 'administration', perso: 'personnel' },
  pt: { info: 'informação', infos: 'informações', admin: 'administração' },
};

/** Per language, word → terms: a per-word key string would be built for every word of every text. */
const termCaches = new Map<Language, Map<string, string[]>>();

/**
 * One word to its index terms: none for stop words and one-letter words; usually one stem.
 * Snowball stemmers for es, fr and pt expect accents ("evaluación" → "evalu") while learners
 * often type without them ("evaluacion" → "evaluacion"): an accented word also yields the stem
 * of its unaccented spelling, so both spellings meet.
 */
export function analyzeWordTerms(word: string, lang: Language): string[] {
  let termCache = termCaches.get(lang);
  if (!termCache) termCaches.set(lang, (termCache = new Map()));
  const cached = termCache.get(word);
  if (cached) return cached;
  const spelledOut = ABBREVIATED[lang]?.[word.toLowerCase()];
  if (spelledOut) return analyzeWordTerms(spelledOut, lang);
  let terms: string[] = [];
  const lower = lang === 'ar' ? normalizeArabic(westernDigits(word)) : westernDigits(word).toLowerCase();
  const folded = foldText(lower, lang);
  // Arabic attaches "and" and "so" to the next word: "وما", "فهل" are stop words too.
  const stop = stopSet(lang).has(folded) || (lang === 'ar' && /^[وف]/.test(folded) && stopSet(lang).has(folded.slice(1)));
  if (!stop && (folded.length > 1 || /\d/.test(folded))) {
    if (/^\d/.test(folded)) terms = [folded];
    else if (lang === 'ar') terms = arabicTerms(westernDigits(word));
    else {
      const raw = stemmer(lang).stem(lower);
      const stem = foldText(raw, lang);
      const plainRaw = folded !== lower ? stemmer(lang).stem(folded) : raw;
      const plain = foldText(plainRaw, lang);
      terms = plain === stem ? [stem] : [stem, plain];
      if (lang === 'fr') terms = [...new Set([...[raw, plainRaw].flatMap((s) => frenchSingular(s) ?? []), ...terms])];
      if (isNamedAcronym(word)) terms = [acronymTerm(folded), ...terms];
    }
  }
  if (termCache.size > 50000) termCache.clear();
  termCache.set(word, terms);
  return terms;
}

/**
 * French Snowball keeps the third-person plural's "-ent" ("publient", "utilisent"), so a question's
 * verb missed the course's "publie", "publiez", "utiliser". A stem ending in "-ent" also yields the
 * stem of its "-e" form ("utilisent" → "utilise" → "utilis"), first, as the word's main term. Nouns
 * cannot be told from verbs by their letters ("incident", "transparent"), but derived from the
 * stem alone the extra term keeps every existing match (words with one stem still share all their
 * terms) and only adds links. Below four letters ("agent" → "ag") it would join unrelated words.
 */
function frenchSingular(rawStem: string): string | undefined {
  if (!rawStem.endsWith('ent')) return undefined;
  const singular = foldText(stemmer('fr').stem(rawStem.slice(0, -2)), 'fr');
  return singular.length >= 4 && singular !== foldText(rawStem, 'fr') ? singular : undefined;
}

/**
 * An acronym of three letters or more ("FAIR", "CARE", "RAG") gets a term of its own besides the
 * plain word, so that it matches the acronym and not every passage on fairness or care; the
 * plain word still lets "gdpr" typed in lower case meet "GDPR". Two-letter ones ("AI", "EU") are
 * written in capitals everywhere and collide with no common word worth telling apart.
 */
function isNamedAcronym(word: string): boolean {
  return word.length >= 3 && isAcronym(word) && !/\d/.test(word);
}

/** The acronym's own term: upper case, which no other analysed term is. */
function acronymTerm(folded: string): string {
  return folded.toUpperCase();
}

/** The main index term of a word (its stem), or undefined for stop words. */
export function analyzeWord(word: string, lang: Language): string | undefined {
  return analyzeWordTerms(word, lang)[0];
}

/**
 * Passages and their sentences are analysed again for every question that retrieves them
 * (coverage, confidence and the extractive answer each read the top passages): the terms of
 * texts of a sentence's length or more are kept. Questions are mostly shorter, and vary.
 */
const PASSAGE_CHARS = 80;
const MAX_KEPT_PASSAGES = 2000;
const passageTerms = new Map<Language, Map<string, string[]>>();

/** Text to index terms (in order, with repeats). */
export function analyze(text: string, lang: Language): string[] {
  const kept = text.length >= PASSAGE_CHARS ? (passageTerms.get(lang) ?? passageTerms.set(lang, new Map()).get(lang)!) : undefined;
  const hit = kept?.get(text);
  if (hit) return hit.slice();
  const out: string[] = [];
  for (const word of wordTokens(text)) {
    const terms = analyzeWordTerms(word, lang);
    for (const term of terms) out.push(term);
  }
  if (kept) {
    if (kept.size >= MAX_KEPT_PASSAGES) kept.clear();
    kept.set(text, out.slice());
  }
  return out;
}

/** What a question asks for, so that sentences with numbers or dates can be preferred. */
export type QuestionFocus = 'when' | 'how-many' | 'other';

// A keyword question ends on the word for year ("kenya ruling, year?", "¿año?", "année ?", "ano?", "أي سنة؟").
const WHEN =
  /\b(when|what year|which year|since when|cu[aá]ndo|desde cu[aá]ndo|en qu[eé] a[nñ]o|quand|en quelle ann[ée]e|depuis quand|quando|em que ano|desde quando)\b|\b(year|a[nñ]o|ann[ée]e|ano|date|fecha)\s*[?؟]|متى|في أي عام|في اي عام|منذ متى|أي سنة|اي سنة|أي تاريخ|اي تاريخ/i;
const HOW_MANY = /\b(how many|how much|how long|how old|what percentage|what share|cu[aá]nt[oa]s?|combien|quant[oa]s?)\b|كم/i;

/** A question asking what to do ("how do I…", "what should we ask for…", "¿qué tengo que…", "comment faire…", "o que devo…", "كيف أ…"). */
const HOW_TO =
  /\b(how (do|can|should) (i|we|you)|what (should|must|do) (i|we) (do|ask|check|include|put)|what do (i|we) need to|how to)\b|\b(c[oó]mo (puedo|podemos|hago|hacemos|compruebo|debo|debemos)|qu[eé] (tengo|tenemos|debo|debemos|hay) que|qu[eé] hago)\b|\b(comment (je|on|nous|faire|puis-je|vérifier|organiser|rédiger)|que (dois-je|devons-nous|faut-il|faire))\b|\b(como (eu |posso|podemos|fa[cç]o|devo|devemos)|o que (devo|devemos|eu preciso|preciso|tenho que|temos que))\b|كيف (أ|ا|ن|يمكن)|ماذا (يجب|علي|علينا)|ما الذي يجب/iu;

export function asksHowTo(question: string): boolean {
  return HOW_TO.test(question);
}

/**
 * A sentence that tells the reader what to do: a modal ("should", "must", "debe", "il faut",
 * "deve", "يجب") or a sentence opening on an imperative of the course's advice ("Check…", "Ask…").
 */
const ADVICE =
  /\b(should|must|need to|needs to|make sure|ensure|debe|deben|debería|hay que|conviene|asegúrese|doit|doivent|devrait|il faut|veillez|assurez-vous|deve|devem|deveria|é preciso|convém|garanta|certifique-se)\b|^(check|ask|use|start|keep|write|give|test|plan|set|name|require|publish|involve|compruebe|pida|utilice|empiece|escriba|vérifiez|demandez|utilisez|commencez|rédigez|verifique|peça|utilize|comece|escreva)\b|يجب|ينبغي|تأكد|احرص/iu;

export function givesAdvice(sentence: string): boolean {
  return ADVICE.test(sentence);
}

export function questionFocus(question: string): QuestionFocus {
  if (WHEN.test(question)) return 'when';
  if (HOW_MANY.test(question)) return 'how-many';
  return 'other';
}

/**
 * A misspelt stop word ("waht", "shoud", "qeu", "coment"), or question-framing word ("apelle",
 * "exemle"): one edit or one swap of neighbouring letters from a stop word of four letters or more,
 * or a framing word of FRAMING_TYPO_MIN or more. Such a word frames the question like the word
 * it stands for; counted as an unknown word it would sink a covered question.
 */
export function isStopWordTypo(word: string, lang: Language): boolean {
  const folded = foldText(word, lang);
  if (folded.length < 4 || /\d/.test(folded)) return false;
  // Every unknown word of every question is checked against each stop word: remembered per word.
  const known = stopTypos.get(lang) ?? stopTypos.set(lang, new Map()).get(lang)!;
  const hit = known.get(folded);
  if (hit !== undefined) return hit;
  let found = false;
  for (const stop of typoTargets(lang)) {
    if (Math.abs(stop.length - folded.length) > 1) continue;
    if (editDistance(folded, stop, 1) <= 1 || isSwap(folded, stop)) {
      found = true;
      break;
    }
  }
  if (known.size >= 10_000) known.clear();
  known.set(folded, found);
  return found;
}

const stopTypos = new Map<Language, Map<string, boolean>>();

/**
 * Framing words are content words, and shorter ones sit one edit from everyday words of other
 * topics ("make" and "cake", "year" and "bear"), which must still count as unknown.
 */
const FRAMING_TYPO_MIN = 6;
const typoTargetSets = new Map<Language, string[]>();

/** The words whose misspellings isStopWordTypo recognises, folded. */
function typoTargets(lang: Language): string[] {
  let targets = typoTargetSets.get(lang);
  if (!targets) {
    const framing = QUESTION_FRAMING[lang].split(/\s+/).map((w) => foldText(w, lang));
    targets = [...new Set([...[...stopSet(lang)].filter((w) => w.length >= 4), ...framing.filter((w) => w.length >= FRAMING_TYPO_MIN)])];
    typoTargetSets.set(lang, targets);
  }
  return targets;
}

function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
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
