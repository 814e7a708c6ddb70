import { LeadingPhrases } from '../leading-phrases';
import { foldText } from './text-analysis';

/**
 * Small talk is not a question about the course: "hi", "thanks", "ok got it", "who are you?",
 * "how do I start?", "bye". Searching the course for it produces "not covered" or an unrelated
 * passage, so it is recognised first, in every course language whatever the learner's locale
 * (an English-locale learner may well type "merci").
 *
 * Two shapes:
 * - whole-message sentences (identity, how to start): the message must be exactly one of them,
 *   so "how do I start a human rights impact assessment?" stays a question;
 * - leading words (greetings, thanks, acknowledgements, goodbyes): the message starts with one
 *   and the rest is short and no question ("thanks, that was really helpful"). A greeting
 *   followed by a question ("hi, what is RAG?") hands the question on.
 *
 * Patterns run on folded text (lower case, no accents, Arabic letter forms unified).
 */
export type SmallTalkKind = 'greeting' | 'thanks' | 'ack' | 'identity' | 'start' | 'bye';

export interface SmallTalk {
  kind: SmallTalkKind;
  /** For a greeting followed by a question: the question, to be answered. */
  rest?: string;
}

/** "how do I start the course?" is "how do I start?": the course words at the end are dropped before matching. */
const COURSE_SUFFIXES = [
  'the course',
  'this course',
  'the training',
  'course',
  'training',
  'el curso',
  'este curso',
  'curso',
  'le cours',
  'ce cours',
  'la formation',
  'cours',
  'formation',
  'o curso',
  'a formacao',
  'الدوره',
  'هذه الدوره',
  'التدريب',
].sort((a, b) => b.length - a.length);

/** Whole messages (folded, single spaces); literal patterns, so every one is checked for safe matching. */
const SENTENCES: [SmallTalkKind, RegExp[]][] = [
  [
    'identity',
    [
      /^(?:who|what) are you(?: exactly| really)?$/,
      /^are you (?:a |an )?(?:real )?(?:person|human|bot|robot|machine|ai|chatbot)(?: or (?:a |an )?(?:real )?(?:person|human|bot|robot|machine|ai|chatbot))?$/,
      /^what (?:can|do) you do$/,
      /^(?:quien|que) eres(?: tu)?$/,
      /^eres (?:un |una )?(?:persona|humano|bot|robot|maquina|ia|chatbot)(?: o (?:un |una )?(?:persona|humano|bot|robot|maquina|ia))?$/,
      /^que (?:puedes|sabes) hacer$/,
      /^(?:qui es[- ]tu|tu es qui|qui etes[- ]vous|vous etes qui)(?: exactement| au juste)?$/,
      /^(?:es[- ]tu|tu es|etes[- ]vous|vous etes) (?:un |une )?(?:vraie )?(?:personne|humain|bot|robot|machine|ia|chatbot)(?: ou (?:un |une )?(?:vraie )?(?:personne|humain|bot|robot|machine|ia))?$/,
      /^que (?:peux[- ]tu|sais[- ]tu|pouvez[- ]vous) faire$/,
      /^quem (?:e|es) (?:voce|tu)$/,
      /^(?:voce|tu) e (?:um |uma )?(?:pessoa|humano|bot|robo|maquina|ia|chatbot)(?: ou (?:um |uma )?(?:pessoa|humano|bot|robo|maquina|ia))?$/,
      /^o que (?:voce|tu) (?:faz|pode fazer)$/,
      /^(?:من|ما) (?:انت|انتي)$/,
      /^هل (?:انت|انتي) (?:انسان|روبوت|بوت|اله|ذكاء اصطناعي|شخص)(?: ام (?:انسان|روبوت|بوت|اله|شخص))?$/,
      /^ماذا (?:تستطيع|يمكنك) (?:ان )?(?:تفعل|تعمل)$/,
    ],
  ],
  [
    'start',
    [
      /^(?:i'?m |i am )?(?:new (?:here )?)?(?:so )?(?:where|how) (?:do|should|can) i (?:begin|start|get started)$/,
      /^how (?:does|do) (?:this|it) work$/,
      /^how (?:to|can i) (?:begin|start|get started)$/,
      /^where to (?:begin|start)$/,
      /^(?:soy nuev[oa] )?(?:como|por donde) (?:empiezo|comienzo|empezar|comenzar|inicio|arranco)$/,
      /^como funciona$/,
      /^(?:je (?:suis nouveau|suis nouvelle|debute) )?(?:je commence par ou|par ou (?:je )?commencer?|comment (?:je )?(?:commencer?|debuter?|demarrer?))$/,
      /^comment (?:ca|cela) (?:marche|fonctionne)$/,
      /^(?:sou nov[oa] )?(?:como (?:faco para |eu )?(?:comecar|comeco|inicio|iniciar)|por onde (?:eu )?(?:comeco|comecar))$/,
      /^como (?:isso|isto) funciona$/,
      /^(?:كيف|من اين) (?:ابدا|ابدء|نبدا)$/,
      /^كيف (?:يعمل|تعمل) (?:هذا|هذه)$/,
    ],
  ],
];

function sentenceKind(text: string): SmallTalkKind | undefined {
  const suffix = COURSE_SUFFIXES.find((s) => text.endsWith(` ${s}`));
  const core = suffix ? text.slice(0, -suffix.length - 1) : text;
  for (const [kind, patterns] of SENTENCES) if (patterns.some((p) => p.test(core) || (core !== text && p.test(text)))) return kind;
  return undefined;
}

/** Words a message may start with; matched longest first so "good morning" wins over "good". */
const LEADING: [SmallTalkKind, string[]][] = [
  [
    'thanks',
    [
      'thank you so much',
      'thank you very much',
      'thanks a lot',
      'many thanks',
      'thank you',
      'thanks',
      'thx',
      'ty',
      'cheers',
      'muchisimas gracias',
      'muchas gracias',
      'mil gracias',
      'gracias',
      'merci beaucoup',
      'merci bien',
      'merci mille fois',
      'merci',
      'muito obrigado',
      'muito obrigada',
      'obrigadao',
      'obrigado',
      'obrigada',
      'valeu',
      'شكرا جزيلا',
      'شكرا لك',
      'شكرا',
      'مشكور',
      'جزاك الله خيرا',
    ],
  ],
  [
    'greeting',
    [
      'good morning',
      'good afternoon',
      'good evening',
      'hello there',
      'hi there',
      'hey there',
      'hello',
      'hiya',
      'hey',
      'hi',
      'greetings',
      'howdy',
      'buenos dias',
      'buenas tardes',
      'buenas noches',
      'buenas',
      'hola',
      'que tal',
      'bonjour',
      'bonsoir',
      'salut',
      'coucou',
      'bom dia',
      'boa tarde',
      'boa noite',
      'ola',
      'oi',
      'e ai',
      'tudo bem',
      'tudo bom',
      'السلام عليكم',
      'سلام عليكم',
      'مرحبا',
      'اهلا وسهلا',
      'اهلا',
      'صباح الخير',
      'مساء الخير',
      'هلا',
    ],
  ],
  [
    'ack',
    [
      'okay',
      'ok',
      'okey',
      'got it',
      'understood',
      'i see',
      'great',
      'cool',
      'nice',
      'perfect',
      'alright',
      'all right',
      'sure',
      'fine',
      'noted',
      'makes sense',
      'vale',
      'entendido',
      'entiendo',
      'de acuerdo',
      'perfecto',
      'genial',
      'bien',
      'claro',
      'listo',
      'ya veo',
      "d'accord",
      'daccord',
      'compris',
      "j'ai compris",
      'entendu',
      'parfait',
      'super',
      'tres bien',
      'bien recu',
      "c'est note",
      'ca marche',
      'beleza',
      'entendi',
      'certo',
      'perfeito',
      'otimo',
      'combinado',
      'ta bom',
      'blz',
      'تمام',
      'فهمت',
      'حسنا',
      'ممتاز',
      'طيب',
      'واضح',
      'اوكي',
      'جميل',
      'رائع',
    ],
  ],
  [
    'bye',
    [
      'goodbye',
      'good bye',
      'bye bye',
      'bye',
      'see you later',
      'see you',
      'stop',
      'cancel',
      'quit',
      'that is all',
      "that's all",
      'adios',
      'hasta luego',
      'hasta pronto',
      'chao',
      'nos vemos',
      'basta',
      'au revoir',
      'a bientot',
      'a plus',
      'bonne journee',
      'bonne soiree',
      'arrete',
      'annuler',
      'tchau',
      'ate logo',
      'ate mais',
      'ate breve',
      'pare',
      'cancelar',
      'مع السلامه',
      'وداعا',
      'الى اللقاء',
      'توقف',
      'الغاء',
    ],
  ],
];

/**
 * What may follow the leading words and still be small talk, in words: thanks often come with a
 * few more ("that was really helpful", "على المساعدة"); "great" or "super" followed by words is
 * usually the start of something else ("great britain's AI playbook"), so acknowledgements take none.
 */
const REMAINDER_WORDS: Record<SmallTalkKind, number> = { thanks: 6, greeting: 3, bye: 2, ack: 0, identity: 0, start: 0 };

const QUESTION_WORDS =
  /^(?:what|which|who|when|where|why|how|is|are|can|do|does|did|que|cual|cuales|quien|cuando|donde|por que|como|cuantos?|quel|quelle|quels|quelles|qui|quand|ou|pourquoi|comment|combien|est-ce|o que|qual|quais|quem|quando|onde|quantos?|ما|ماذا|من|متى|اين|لماذا|كيف|كم|هل)(?![\p{L}])/u;

function fold(text: string): string {
  return foldText(text)
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}'\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const leading = new LeadingPhrases(LEADING.flatMap(([kind, words]) => words.map((w) => ({ phrase: fold(w), value: kind }))));

/** The longest leading phrase (greeting, thanks…) that the text is or starts with, then a space, and what follows it. */
function stripLeading(text: string): { kind: SmallTalkKind; rest: string } | undefined {
  const found = leading.match(text);
  if (!found) return undefined;
  return found.phrase === text ? { kind: found.value, rest: '' } : { kind: found.value, rest: text.slice(found.phrase.length + 1).trim() };
}

export function recognizeSmallTalk(message: string): SmallTalk | undefined {
  const text = fold(message);
  if (!text) return undefined;
  const whole = sentenceKind(text);
  if (whole) return { kind: whole };
  const first = stripLeading(text);
  if (!first) return undefined;
  // "thanks, bye", "hi, thanks", "ok got it": several small-talk words in a row are one.
  let rest = first.rest;
  const kinds = [first.kind];
  for (let next = rest ? stripLeading(rest) : undefined; next; next = rest ? stripLeading(rest) : undefined) {
    kinds.push(next.kind);
    rest = next.rest;
  }
  const kind = kinds.includes('thanks') ? 'thanks' : kinds.includes('bye') ? 'bye' : first.kind;
  if (!rest) return { kind };
  const after = sentenceKind(rest);
  if (after) return { kind: after };
  // "Oi, tudo bem?" ends with a question mark but is all greeting (handled above); a real question is not small talk.
  const asksSomething = /[?؟]/.test(message) || QUESTION_WORDS.test(rest);
  if (!asksSomething && rest.split(' ').length <= REMAINDER_WORDS[kind]) return { kind };
  // "hi, what is RAG?": the greeting is answered by answering the question.
  if (kind === 'greeting' && asksSomething) return { kind, rest: afterFirstPunctuation(message) ?? rest };
  return undefined;
}

/** "Hola, ¿qué es el RGPD?" → "¿qué es el RGPD?", keeping accents and case for language identification. */
function afterFirstPunctuation(message: string): string | undefined {
  const at = message.search(/[,!.:;،\n]/);
  const rest = at >= 0 ? message.slice(at + 1).trim() : '';
  return rest || undefined;
}
