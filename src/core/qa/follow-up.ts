import { foldText, wordTokens } from './text-analysis';

/**
 * Whether a short question continues the previous one: it opens with a linking word ("and a
 * false negative?", "¿y desde qué año funciona?", "et pour les systèmes autonomes ?", "e quando
 * entrou em vigor?", "ومتى بدأ؟") or points back with a pronoun ("when was it adopted?",
 * "elle a été adoptée quand ?"). Word lists rather than patterns: the inverted ¿ and ¡, elided
 * French articles and Arabic's attached و all reduce to plain words after folding. Articles
 * ("el", "la", "o") and Arabic هو/هي are left out: every other question has one ("ما هو…؟" is "what is…?").
 */
const OPENERS = new Set(
  `and but so also then
   y e pero pues entonces tambien
   et mais alors aussi
   mas entao tambem
   وماذا وما ومتى وكيف وهل ولماذا واين ومن وكم وهو وهي`
    .split(/\s+/)
    .map((w) => foldText(w))
    .concat(['what about', 'how about', 'y que', 'et pour', 'e quanto', 'e sobre']),
);
const POINTERS = new Set(
  `it its they them their this these those he she his her
   ello eso esto esta este ella ellos ellas
   il elle ils elles cela ca celui celle ceux leur leurs
   isso isto ele ela eles elas dele dela deles seu sua
   هذا هذه ذلك تلك`
    .split(/\s+/)
    .map((w) => foldText(w)),
);

/** Follow-ups are short: a long question stands on its own even when it says "it". */
const MAX_WORDS = 9;
/**
 * An opening "and…" says outright that the question continues, so it may run longer (French
 * spends words on elisions: "et pour les systèmes à haut risque autonomes, c'est pour quand ?").
 */
const MAX_WORDS_AFTER_OPENER = 14;

export function isFollowUp(question: string): boolean {
  const words = wordTokens(foldText(question));
  if (!words.length) return false;
  const opened = OPENERS.has(words[0]) || (words.length > 1 && OPENERS.has(`${words[0]} ${words[1]}`));
  if (opened) return words.length <= MAX_WORDS_AFTER_OPENER;
  return words.length <= MAX_WORDS && words.some((w) => POINTERS.has(w));
}
