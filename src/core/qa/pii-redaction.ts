import { hash } from 'node:crypto';
import { ARABIC_GIVEN_NAMES, LATIN_GIVEN_NAMES } from '../privacy/given-names';

/**
 * Removes personal data from text before it leaves the process for a language model (and
 * before questions are kept): e-mail addresses, IBANs, card numbers (Luhn), national ids
 * and passports, phone numbers, postal addresses and personal names, in English, Spanish,
 * French, Portuguese and Arabic. Years, regulation numbers, dates, percentages and ordinary
 * counts stay, since answers need them. Names are found by cues (titles, "my name is",
 * "me llamo", "je m'appelle", "chamo-me", "اسمي", greetings, sign-offs, a known given name
 * followed by a surname), never by redacting every capitalised word: course text is full
 * of capitalised terms. The course text itself passes through unchanged (see the corpus test).
 */
export type PersonalDataKind = 'email' | 'iban' | 'card' | 'id' | 'phone' | 'address' | 'name';

const PLACEHOLDER: Record<PersonalDataKind, string> = {
  email: '[email]',
  iban: '[iban]',
  card: '[card number]',
  id: '[id number]',
  phone: '[phone]',
  address: '[address]',
  name: '[name]',
};

export interface PersonalDataSpan {
  start: number;
  end: number;
  kind: PersonalDataKind;
}

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** Printed in groups of four ("DE89 3704 0044 …") or compact; checked with ISO 13616 mod 97. */
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\p{L}\p{N}])/gu;
/** Groups of four (Visa, Mastercard), 4-6-5 (American Express) or compact; checked with Luhn. */
const CARD = /(?<![\p{N}])(?:\d{4}[ -]){3}\d{1,7}(?![\p{N}])|(?<![\p{N}])\d{4}[ -]\d{6}[ -]\d{5}(?![\p{N}])|(?<![\p{N}])\d{13,19}(?![\p{N}])/gu;
/** Digit runs with separators: + or ( or spaces inside look like phones, the rest like ids. */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\(?\d[\d ()./-]{4,}\d(?![\p{L}\p{N}])/gu;
/** Letters and digits mixed, 7+ characters, at least 5 digits: passports, tax ids, national ids. */
const ALNUM_ID = /(?<![\p{L}\p{N}])(?=[A-Za-z0-9]*\d{2})(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{7,34}(?![\p{L}\p{N}])/gu;
/**
 * Words (letters, marks, digits, joined by apostrophes or hyphens). Names, addresses and named
 * id numbers are found on these tokens in code rather than by large patterns, which could
 * backtrack badly on hostile input (the house rule in test/house/regex-safety.test.ts).
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
}

const words = (list: string) => list.split(' ').filter(Boolean);
const phrases = (list: string[]) => list.map((p) => p.split(' '));

const PARTICLES = new Set(words('de da do dos das del la van von der di du le bin ben ibn al el'));
/** Words after a strong cue that end a name ("my name is ana and I work…"). */
const NAME_STOP = new Set(words('and from at in y et e i je eu yo working work trabajo travaille trabalho sou soy je suis'));
/** Words that follow a cue but are no name ("I am not sure", "dear colleagues"…). */
const NOT_A_NAME = new Set(
  words(
    'a an the not sure here there all colleagues colleague team friends sir madam members everyone everybody todos todas colegas equipo amigos amigas tous toutes collègues équipe amis messieurs mesdames equipa equipe senhores senhoras você vous usted you it this that is was',
  ),
);
const STRONG_CUES = phrases([
  'my name is',
  "my name's",
  'my full name is',
  'me llamo',
  'mi nombre es',
  'mi nombre completo es',
  "je m'appelle",
  'je m’appelle',
  'mon nom est',
  'mon nom complet est',
  'je me nomme',
  'chamo-me',
  'me chamo',
  'meu nome é',
  'meu nome completo é',
]);
const WEAK_CUES = phrases(['i am', "i'm", 'i’m', 'this is', 'call me', 'soy', 'je suis', 'sou', 'sou o', 'sou a', 'aqui é', 'ici', 'hablas con', 'fala o', 'fala a']);
const TITLES = new Set(words('mr mrs ms mx miss dr prof professor sir dame lady lord sr sra srta dra don doña dña mme mlle monsieur madame mademoiselle maître senhor senhora dona eng exmo exma'));
const GREETINGS = new Set(words('dear querido querida estimado estimada cher chère prezado prezada caro cara hi hello hola bonjour olá oi'));
const SIGN_OFFS = phrases([
  'regards',
  'best regards',
  'kind regards',
  'warm regards',
  'best wishes',
  'best',
  'thanks',
  'many thanks',
  'thank you',
  'cheers',
  'sincerely',
  'yours sincerely',
  'saludos',
  'un saludo',
  'saludos cordiales',
  'atentamente',
  'cordialmente',
  'gracias',
  'muchas gracias',
  'cordialement',
  'bien cordialement',
  'bien à vous',
  'merci',
  'merci beaucoup',
  'amitiés',
  'atenciosamente',
  'cumprimentos',
  'com os melhores cumprimentos',
  'obrigado',
  'obrigada',
  'abraços',
  'um abraço',
  'مع تحياتي',
  'مع خالص التحية',
  'مع خالص التحيات',
  'شكرا',
  'شكراً',
  'وشكرا',
]);
const ARABIC_TITLES = new Set(words('السيد السيدة الدكتور الدكتورة الأستاذ الأستاذة المهندس المهندسة الشيخ'));
const ARABIC_STRONG_CUES = phrases(['اسمي هو', 'اسمي', 'إسمي', 'عزيزي', 'عزيزتي']);
const ARABIC_WEAK_CUES = phrases(['أنا', 'انا', 'معك']);
const ARABIC_JOINERS = new Set(words('بن بنت ابن أبو عبد'));
/** Words after an Arabic name that are not part of it (prepositions, frequent verbs). */
const ARABIC_STOP = new Set(words('من في على إلى عن مع هو هي أن التي الذي طلبت طلب يسأل تسأل سيقدم مسؤول مسؤولة تطلب وأعمل أعمل يعمل تعمل'));
/** Document names before a number: "DNI 1234567-K", "CPF: 123.456.789-09", "رقم الهوية 2 345 678". Acronyms must be written in capitals. */
const ID_ACRONYMS = new Set(words('ID DNI NIE NIF NIR CPF CNPJ RG CIN CNI CURP RFC SSN NINO BI'));
const ID_CUES = phrases([
  'aadhaar',
  'ni number',
  'national insurance number',
  'national insurance',
  'social security number',
  'passport',
  'passeport',
  'pasaporte',
  'passaporte',
  'cartão de cidadão',
  "carte d'identité",
  'carte vitale',
  'cédula',
  'numéro fiscal',
  'número fiscal',
  'tax id',
  'numéro de sécurité sociale',
  'número de identificación',
  'رقم الهوية الوطنية',
  'رقم الهوية',
  'الهوية الوطنية',
  'بطاقة الهوية',
  'الرقم القومي',
  'الرقم الوطني',
  'رقم جواز السفر',
  'جواز السفر',
  'السجل المدني',
]);
const ID_CONNECTORS = new Set(words('number no nº n° número numéro is es é est هو رقم'));
const STREETS_EN = new Set(words('Street St Road Rd Avenue Ave Lane Ln Drive Boulevard Blvd Way Close Court Place Square Terrace Crescent Gardens Row Parkway Highway'));
const STREETS_FR = new Set(words('rue avenue boulevard bd place allée impasse chemin quai route cours square'));
const STREETS_ES_PT = new Set(words('calle c avenida avda av paseo plaza pza camino carrera calzada ronda travesía rua r travessa largo praça alameda estrada rodovia'));
const STREETS_AR = new Set(words('شارع جادة زقاق'));
const DIRECTIONS = new Set(words('NW NE SW SE N S E W'));
const FLOOR_WORDS = new Set(words('andar piso esq dto izq dcha'));
// Bare "apartado 3" is a paragraph of a Spanish law; only "apartado de correos / postal" is a box.
/** Everyday words that read as a proclitic plus a given name: لدينا "we have" (ل+دينا), ورقية "paper" (و+رقية). */
const ARABIC_WORDS_LIKE_NAMES = new Set(['لدينا', 'ورقية', 'ورقيه', 'بدينا']);
const PO_BOXES = ['pobox', 'apartadodecorreos', 'apartadopostal', 'caixapostal', 'bp', 'boîtepostale', 'صب', 'صندوقبريد'];

const isCapitalised = (w: string) => w[0] !== w[0].toLowerCase() && w !== w.toUpperCase();
const isArabicWord = (w: string) => w.length >= 2 && w[0] >= '\u0621' && w[0] <= '\u064A';
const hasDigit = (w: string) => /\d/.test(w);
const isNumber = (w: string, maxDigits: number) => /^\d+[A-Za-z]?$/.test(w) && w.replace(/\D/g, '').length <= maxDigits;

class TokenView {
  readonly tokens: Token[];

  constructor(readonly text: string) {
    this.tokens = [...text.matchAll(WORD)].map((m) => ({ text: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
  }

  /** The text between token i-1 and token i ('' before the first). */
  gapBefore(i: number): string {
    return this.text.slice(i > 0 ? this.tokens[i - 1].end : 0, this.tokens[i]?.start ?? this.text.length);
  }

  /** Token i follows the previous one on the same line, separated only by `allowed` characters and spaces. */
  joined(i: number, allowed = ''): boolean {
    const gap = this.gapBefore(i);
    return i < this.tokens.length && gap.length > 0 && [...gap].every((c) => c === ' ' || c === '\t' || allowed.includes(c));
  }

  /** The phrase ending index when tokens from i spell one of `list` (longest first), else -1. */
  phraseAt(i: number, list: string[][]): number {
    let best = -1;
    for (const phrase of list) {
      if (phrase.every((w, k) => this.tokens[i + k]?.lower === w && (k === 0 || this.joined(i + k)))) best = Math.max(best, i + phrase.length);
    }
    return best;
  }

  /** Capitalised name words from i (particles between them), at most `max`; returns the end index. */
  nameRun(i: number, max: number, anyCase = false): number {
    let end = i;
    let count = 0;
    for (let k = i; k < this.tokens.length && count < max; k++) {
      const t = this.tokens[k];
      if (k > i && !this.joined(k)) break;
      if (hasDigit(t.text) || isArabicWord(t.text)) break;
      if (k > i && PARTICLES.has(t.lower) && this.tokens[k + 1] && this.joined(k + 1) && isCapitalised(this.tokens[k + 1].text)) continue;
      if (anyCase ? NAME_STOP.has(t.lower) && k > i : !isCapitalised(t.text)) break;
      end = k + 1;
      count++;
    }
    return end;
  }

  /** An Arabic given name and family name (two words, or joined by بن/عبد…); returns the end index. */
  arabicRun(i: number): number {
    const first = this.tokens[i];
    if (!first || !isArabicWord(first.text) || ARABIC_STOP.has(first.text)) return i;
    let end = i + 1;
    let k = i + 1;
    if (this.tokens[k] && this.joined(k) && ARABIC_JOINERS.has(this.tokens[k].text)) k++;
    const next = this.tokens[k];
    if (next && this.joined(k) && isArabicWord(next.text) && !ARABIC_STOP.has(next.text)) end = k + 1;
    return end;
  }

  span(from: number, to: number, kind: PersonalDataKind): PersonalDataSpan {
    return { start: this.tokens[from].start, end: this.tokens[to - 1].end, kind };
  }
}

function nameSpans(v: TokenView, out: PersonalDataSpan[]): void {
  const { tokens } = v;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const push = (from: number, to: number) => to > from && out.push(v.span(from, to, 'name'));
    // "my name is ana silva", "je m'appelle Camille Laurent", "اسمي فاطمة الزهراء"
    const strong = v.phraseAt(i, STRONG_CUES);
    if (strong > 0 && tokens[strong] && v.joined(strong, ',:') && !NOT_A_NAME.has(tokens[strong].lower)) push(strong, v.nameRun(strong, 4, true));
    const arabicStrong = v.phraseAt(i, ARABIC_STRONG_CUES);
    if (arabicStrong > 0 && v.joined(arabicStrong, ',:')) push(arabicStrong, v.arabicRun(arabicStrong));
    // "I'm Jennifer", "Soy Carlos Medina": only before a known given name.
    const weak = v.phraseAt(i, WEAK_CUES);
    if (weak > 0 && tokens[weak] && v.joined(weak) && LATIN_GIVEN_NAMES.has(tokens[weak].text)) push(weak, v.nameRun(weak, 4));
    const arabicWeak = v.phraseAt(i, ARABIC_WEAK_CUES);
    if (arabicWeak > 0 && tokens[arabicWeak] && v.joined(arabicWeak) && ARABIC_GIVEN_NAMES.has(tokens[arabicWeak].text)) push(arabicWeak, v.arabicRun(arabicWeak));
    // "Dr Helen Marsh", "Mme Girard", "M. Dupont", "السيدة مريم الخطيب", "د. سارة القحطاني"
    if ((TITLES.has(t.lower) && isCapitalised(t.text)) || (t.text === 'M' && v.gapBefore(i + 1).startsWith('.'))) {
      if (tokens[i + 1] && v.joined(i + 1, '.')) push(i + 1, v.nameRun(i + 1, 4));
    }
    if ((ARABIC_TITLES.has(t.text) || (t.text === 'د' && v.gapBefore(i + 1).startsWith('.'))) && tokens[i + 1] && v.joined(i + 1, '.')) push(i + 1, v.arabicRun(i + 1));
    // "Dear Emma,", "Querida Pilar,"
    if (GREETINGS.has(t.lower) && tokens[i + 1] && v.joined(i + 1)) {
      const end = v.nameRun(i + 1, 2);
      if (end > i + 1 && /^[,!:\n]/.test(v.gapBefore(end))) push(i + 1, end);
    }
    // "Best regards,\nMichael O'Brien", "Atenciosamente,\nFernanda Lima", "مع تحياتي،\nخديجة بنعلي"
    const signOff = v.phraseAt(i, SIGN_OFFS);
    if (signOff > 0 && tokens[signOff] && /(^|\n|[.!?][ \t]*)$/.test(v.gapBefore(i)) && /[\n\-–—]/.test(v.gapBefore(signOff))) {
      push(signOff, isArabicWord(tokens[signOff].text) ? v.arabicRun(signOff) : v.nameRun(signOff, 4));
    }
    // A known given name and a capitalised surname: "Rebecca Thornton", "José Luis Romero".
    if (LATIN_GIVEN_NAMES.has(t.text)) {
      const end = v.nameRun(i, 4);
      if (end >= i + 2) push(i, end);
    }
    // The same in Arabic, with a one-letter proclitic kept outside the name: "لزينب الأنصاري" → "ل[name]".
    const proclitic = !ARABIC_GIVEN_NAMES.has(t.text) && !ARABIC_WORDS_LIKE_NAMES.has(t.text) && 'لبوك'.includes(t.text[0]) && ARABIC_GIVEN_NAMES.has(t.text.slice(1));
    if (ARABIC_GIVEN_NAMES.has(t.text) || proclitic) {
      const end = v.arabicRun(i);
      if (end >= i + 2) out.push({ start: t.start + (proclitic ? 1 : 0), end: tokens[end - 1].end, kind: 'name' });
    }
  }
}

/** The end of an English or French address's tail: ", Apt 4B", ", Springfield", ", IL 62704", "NW1 6XE", ", 75002 Paris". */
function addressTail(v: TokenView, end: number, style: 'en' | 'fr'): number {
  const { tokens } = v;
  let at = end;
  if (style === 'en' && tokens[at] && v.joined(at) && DIRECTIONS.has(tokens[at].text)) at++;
  for (let round = 0; round < 4; round++) {
    const t = tokens[at];
    if (!t || !v.joined(at, ',')) break;
    if (style === 'en' && /^(Apt|Apartment|Flat|Suite|Unit)$/.test(t.text) && tokens[at + 1] && v.joined(at + 1, '.')) at += 2;
    else if (style === 'en' && /^[A-Z]{2}$/.test(t.text) && tokens[at + 1] && v.joined(at + 1) && /^\d{5}(-\d{4})?$/.test(tokens[at + 1].text)) at += 2;
    else if (style === 'en' && /^[A-Z]{1,2}\d[A-Z\d]?$/.test(t.text) && tokens[at + 1] && v.joined(at + 1) && /^\d[A-Z]{2}$/.test(tokens[at + 1].text)) at += 2;
    else if (style === 'fr' && /^\d{5}$/.test(t.text) && tokens[at + 1] && v.joined(at + 1)) at = v.nameRun(at + 1, 3);
    else if (style === 'en' && isCapitalised(t.text)) at = v.nameRun(at, 2);
    else break;
  }
  return at;
}

/** The end of a Spanish or Portuguese address after its number: floor, flat, district, postal code and city, state. */
function iberianTail(v: TokenView, end: number): number {
  const { tokens } = v;
  let at = end;
  for (let round = 0; round < 6; round++) {
    const t = tokens[at];
    if (!t || !v.joined(at, ',.-–/')) break;
    if (/^\d{1,2}[º°ª]$/.test(t.text)) {
      at++;
      if (tokens[at] && v.joined(at) && (FLOOR_WORDS.has(tokens[at].lower) || /^[A-Z]$/.test(tokens[at].text))) at++;
    } else if (/^(apto?|apartamento|bloco|sala)$/i.test(t.text) && tokens[at + 1] && v.joined(at + 1, '.')) at += 2;
    else if (/^(\d{4}-\d{3}|\d{5}-\d{3}|\d{5})$/.test(t.text)) at = tokens[at + 1] && v.joined(at + 1) && isCapitalised(tokens[at + 1].text) ? v.nameRun(at + 1, 3) : at + 1;
    else if (/^[A-Z]{2}$/.test(t.text)) at++;
    else if (isCapitalised(t.text)) at = v.nameRun(at, 3);
    else break;
  }
  return at;
}

function addressSpans(v: TokenView, out: PersonalDataSpan[]): void {
  const { tokens } = v;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // English: "221B Baker Street, London NW1 6XE"
    // A year ("In October 2021 Kenya's High Court") is not a house number.
    if (isNumber(t.text, 5) && /^\d/.test(t.text) && !/^(19|20)\d\d$/.test(t.text)) {
      let k = i + 1;
      while (k < i + 4 && tokens[k] && v.joined(k) && isCapitalised(tokens[k].text) && !STREETS_EN.has(tokens[k].text)) k++;
      if (k > i + 1 && tokens[k] && v.joined(k, '.') && STREETS_EN.has(tokens[k].text)) out.push({ ...v.span(i, addressTail(v, k + 1, 'en'), 'address') });
      // French: "12 rue de la Paix, 75002 Paris", "3 bis avenue Victor Hugo"
      let f = i + 1;
      if (tokens[f] && v.joined(f) && /^(bis|ter)$/.test(tokens[f].lower)) f++;
      if (tokens[f] && v.joined(f, ',') && STREETS_FR.has(tokens[f].lower)) {
        let n = f + 1;
        while (tokens[n] && v.joined(n) && (PARTICLES.has(tokens[n].lower) || /^(des|les|l['’]|d['’])/i.test(tokens[n].lower)) && !isCapitalised(tokens[n].text)) n++;
        const end = tokens[n] && v.joined(n) ? v.nameRun(n, 4) : n;
        if (end > n) out.push(v.span(i, addressTail(v, end, 'fr'), 'address'));
      }
    }
    // Spanish and Portuguese: "Calle Mayor 5, 3º B, 28013 Madrid", "Av. Paulista, 1578, Bela Vista, São Paulo - SP, 01310-200"
    if (STREETS_ES_PT.has(t.lower) && isCapitalised(`${t.text[0]}x`) && tokens[i + 1] && v.joined(i + 1, './')) {
      let n = i + 1;
      for (let words = 0; words < 6 && tokens[n] && v.joined(n, words === 0 ? './' : ','); words++) {
        if (PARTICLES.has(tokens[n].lower) || /^(las|los|e|y)$/.test(tokens[n].lower)) n++;
        else if (isCapitalised(tokens[n].text)) n++;
        else break;
      }
      if (n > i + 1 && tokens[n] && tokens[n].lower === 'nº' && v.joined(n, ',')) n++;
      if (n > i + 1 && tokens[n] && v.joined(n, ',') && isNumber(tokens[n].text, 5)) out.push(v.span(i, iberianTail(v, n + 1), 'address'));
    }
    // Arabic: "شارع الملك فهد، رقم 24", "15 شارع التحرير", "زقاق البلاط 7"
    if (STREETS_AR.has(t.text) && tokens[i + 1] && v.joined(i + 1) && isArabicWord(tokens[i + 1].text)) {
      const from = i > 0 && isNumber(tokens[i - 1].text, 5) && v.joined(i) ? i - 1 : i;
      let n = i + 1;
      while (n < i + 4 && tokens[n] && v.joined(n) && isArabicWord(tokens[n].text) && tokens[n].text !== 'رقم') n++;
      if (tokens[n] && v.joined(n, '،,') && tokens[n].text === 'رقم' && tokens[n + 1] && v.joined(n + 1)) n++;
      if (tokens[n] && v.joined(n, '،,') && isNumber(tokens[n].text, 5)) n++;
      out.push(v.span(from, n, 'address'));
    }
    // Post office boxes: "PO Box 4821", "Caixa Postal 4021", "ص.ب 12345"
    for (let len = 1; len <= 3; len++) {
      const box = tokens.slice(i, i + len);
      if (box.length < len || !box.every((_b, k) => k === 0 || v.joined(i + k, '.'))) break;
      const number = tokens[i + len];
      if (PO_BOXES.includes(box.map((b) => b.lower).join('')) && number && v.joined(i + len, '.') && /^\d{1,6}$/.test(number.text)) out.push(v.span(i, i + len + 1, 'address'));
    }
  }
}

/** Numbers named as identity documents: the number is the run of capitals and digits after the cue. */
function cuedIdSpans(v: TokenView, out: PersonalDataSpan[]): void {
  const { tokens } = v;
  for (let i = 0; i < tokens.length; i++) {
    let at = ID_ACRONYMS.has(tokens[i].text) ? i + 1 : v.phraseAt(i, ID_CUES);
    if (at < 0 || !tokens[at] || !v.joined(at, ':#')) continue;
    if (ID_CONNECTORS.has(tokens[at].lower) && !hasDigit(tokens[at].text) && tokens[at + 1] && v.joined(at + 1, ':#.')) at++;
    let end = at;
    while (tokens[end] && /^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(tokens[end].text) && (end === at || v.joined(end, './-'))) end++;
    const number = end > at ? v.text.slice(tokens[at].start, tokens[end - 1].end) : '';
    if ((number.match(/\d/g)?.length ?? 0) >= 4 && !isYearOrDate(number)) out.push(v.span(at, end, 'id'));
  }
}

/** Eastern Arabic and Persian digits read as ASCII digits, keeping every index in place. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

function ibanValid(candidate: string): boolean {
  const compact = candidate.replace(/ /g, '');
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const isYear = (p: string) => /^(1[89]|20)\d\d$/.test(p);
const isYearOrDate = (p: string) => isYear(p.trim()) || /^\d{1,2}[./-]\d{1,2}[./-](19|20)?\d\d$/.test(p.trim());

/** Numbers answers need: years and year ranges, EU regulation numbers ("2016/679"), dates, grouped quantities. */
function isOrdinaryNumber(raw: string): boolean {
  const m = raw.trim().replace(/^\(|\)$/g, '');
  // "Convention 108 (1981", "(2016/2018": a small number or a year next to a year.
  const parts = m.split(/[\s()/]+/).filter(Boolean);
  if (parts.length <= 2 && parts.some(isYear) && parts.every((p) => isYear(p) || /^\d{1,3}$/.test(p))) return true;
  if (/^\d{4}([\s,.-]+\d{4})*$/.test(m) && m.split(/[\s,.-]+/).every((y) => /^(1[89]|20)\d\d$/.test(y))) return true;
  if (/^(19|20)\d\d\/\d{1,4}$/.test(m)) return true;
  if (/^\d{1,2}[./-]\d{1,2}[./-](19|20)?\d\d$/.test(m) || /^(19|20)\d\d-\d\d-\d\d$/.test(m)) return true;
  // 1.300.000 (Spanish, Portuguese) and 1 300 000 with a leading group shorter than three digits.
  return /^\d{1,2}([.\s]\d{3})+$/.test(m) || /^\d{1,3}(\.\d{3})+$/.test(m);
}

/** "ISO 24495-1 (2023)", "ISO/IEC 42001", "EN 301 549": the number of a standard, not a phone. */
function isStandardNumber(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 8), at).toUpperCase();
  return before.endsWith('ISO ') || before.endsWith('IEC ') || before.endsWith('EN ') || before.endsWith('ISO/');
}

function collect(pattern: RegExp, text: string, kind: PersonalDataKind, spans: PersonalDataSpan[], accept: (m: RegExpExecArray) => boolean = () => true): void {
  for (const m of text.matchAll(pattern)) if (accept(m)) spans.push({ start: m.index, end: m.index + m[0].length, kind });
}

/** Every piece of personal data found, without overlaps (earlier and longer spans win). */
export function findPersonalData(text: string): PersonalDataSpan[] {
  const ascii = asciiDigits(text);
  const spans: PersonalDataSpan[] = [];
  collect(EMAIL, ascii, 'email', spans);
  collect(IBAN, ascii, 'iban', spans, (m) => ibanValid(m[0]));
  collect(CARD, ascii, 'card', spans, (m) => {
    const digits = m[0].replace(/\D/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) && !isOrdinaryNumber(m[0]);
  });
  const view = new TokenView(ascii);
  cuedIdSpans(view, spans);
  addressSpans(view, spans);
  nameSpans(view, spans);
  collect(DIGIT_RUN, ascii, 'phone', spans, (m) => m[0].replace(/\D/g, '').length >= 7 && !isOrdinaryNumber(m[0]) && !isStandardNumber(ascii, m.index));
  collect(ALNUM_ID, ascii, 'id', spans, (m) => (m[0].match(/\d/g)?.length ?? 0) >= 5);

  // Phones and ids share one pattern: + or ( or inner spaces mean a phone.
  for (const span of spans) {
    if (span.kind !== 'phone') continue;
    const raw = ascii.slice(span.start, span.end);
    if (!/^[+(]/.test(raw) && !/\s/.test(raw.trim())) span.kind = 'id';
  }
  return withoutOverlaps(spans);
}

function withoutOverlaps(spans: PersonalDataSpan[]): PersonalDataSpan[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PersonalDataSpan[] = [];
  for (const span of sorted) {
    const last = kept[kept.length - 1];
    if (last && span.start < last.end) {
      if (span.end > last.end) last.end = span.end;
      continue;
    }
    kept.push({ ...span });
  }
  return kept;
}

/** Texts up to this long (a question) have their redacted form kept: a question is redacted twice in its turn (for the search, then for the history). */
const KEPT_TEXT_CHARS = 1000;
/** Redacted forms kept; past this many, all are forgotten. */
const KEPT_REDACTIONS = 1000;
/** Under a digest of the text, so nothing of the original (which may hold personal data) is kept. */
const keptRedactions = new Map<string, string>();

export function redactPersonalData(text: string): string {
  if (text.length > KEPT_TEXT_CHARS) return redact(text);
  const key = hash('sha256', text, 'base64');
  const kept = keptRedactions.get(key);
  if (kept !== undefined) return kept;
  const redacted = redact(text);
  if (keptRedactions.size >= KEPT_REDACTIONS) keptRedactions.clear();
  keptRedactions.set(key, redacted);
  return redacted;
}

function redact(text: string): string {
  let out = '';
  let at = 0;
  for (const span of findPersonalData(text)) {
    out += text.slice(at, span.start) + PLACEHOLDER[span.kind];
    at = span.end;
  }
  return out + text.slice(at);
}
