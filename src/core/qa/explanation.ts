import type { Language } from '../../config/config-schema';
import type { Chunk, RetrievedPassage } from '../../ports/retrieval';
import { splitSentences, wordCount } from './sentences';
import { analyze, foldText, wordTokens } from './text-analysis';

/**
 * "Explain more" offline: a short explanation in whole sentences from the lesson passages closest
 * to the current step (its own lesson first, then the deeper lessons on the same subject), one
 * paragraph per passage, each cited by its lesson and step. A quiz item gives only its
 * explanation, never its options (glued-together options read as fragments); module overviews say
 * what a module will teach, not the facts, and are left out.
 */
export interface ExplanationInput {
  step: Chunk;
  /** Candidates, best first (the step itself and non-step passages are skipped). */
  related: RetrievedPassage[];
  lang: Language;
  idf: (term: string) => number;
}

export interface Explanation {
  /** Paragraphs separated by a blank line, each ending with its [n] marker. */
  text: string;
  cited: RetrievedPassage[];
}

const MAX_PARAGRAPHS = 3;
/** Where a quiz passage's explanation ends and its options begin (QUIZ_OPTIONS_BREAK in chunking.ts, an adapter core cannot import). */
const QUIZ_PROSE_END = '\n\n';
const MAX_WORDS = 150;
/** A paragraph holds a few sentences: enough to explain, short enough for a chat message. */
const PARAGRAPH_WORDS = 60;

/**
 * Words that make a sentence lean on the one before it ("This means…", "Ils ont…", "ولكن…"): a
 * paragraph never starts with one, or it would read as a fragment out of its context.
 */
const LEANING = new Set(
  `this these that those it its they them their such however also then so but and or
   este esta estos estas esto eso ello ellos ellas su sus sin embargo tambien ademas pero y o
   ce cet cette ces cela ca il elle ils elles leur leurs cependant aussi mais et ou donc
   isto isso ele ela eles elas seu sua seus suas contudo tambem mas e ou
   هذا هذه ذلك تلك هو هي هم لكن كما ثم
   first second third fourth fifth finally next primero segundo tercero cuarto quinto finalmente
   premierement deuxiemement troisiemement ensuite enfin primeiro terceiro quarto finalmente
   أولا ثانيا ثالثا رابعا خامسا أخيرا`
    .split(/\s+/)
    .map((w) => foldText(w)),
);

export function composeExplanation(input: ExplanationInput): Explanation {
  const { step, lang, idf } = input;
  const stepTerms = new Set(analyze(`${step.title} ${step.text}`, lang));
  const stepSentences = new Set(splitSentences(step.text).map((s) => foldText(s)));
  const weight = (terms: Set<string>) => [...terms].filter((t) => stepTerms.has(t)).reduce((s, t) => s + Math.max(idf(t), 0.05), 0);
  const paragraphs: { text: string; passage: RetrievedPassage }[] = [];
  let words = 0;
  for (const p of input.related) {
    if (paragraphs.length === MAX_PARAGRAPHS || words >= MAX_WORDS) break;
    if (!explains(p.chunk) || p.chunk.id === step.id || paragraphs.some((x) => x.passage.chunk.id === p.chunk.id)) continue;
    // A sentence the step already says is no explanation of it.
    const sentences = splitSentences(passageProse(p.chunk)).filter((s) => !stepSentences.has(foldText(s)) && /[.!?؟:)"”»]$/.test(s));
    const text = bestRun(sentences, lang, weight, Math.min(PARAGRAPH_WORDS, MAX_WORDS - words));
    if (!text) continue;
    paragraphs.push({ text, passage: p });
    words += wordCount(text);
  }
  return { text: paragraphs.map((x, i) => `${x.text} [${i + 1}]`).join('\n\n'), cited: paragraphs.map((x) => x.passage) };
}

/** Lesson steps, and a lesson quiz's explanation (cited as its lesson); not module overviews or references. */
function explains(chunk: Chunk): boolean {
  return chunk.kind === 'step' || (chunk.kind === 'quiz' && Boolean(chunk.lessonId));
}

/** A quiz passage's explanation without its options (see chunking.ts); any other passage's text. */
export function passageProse(chunk: Chunk): string {
  return chunk.kind === 'quiz' ? chunk.text.split(QUIZ_PROSE_END)[0] : chunk.text;
}

/**
 * The run of consecutive sentences, within the word budget, that shares the most with the step;
 * it starts where a sentence stands on its own, and the passage's opening wins a tie.
 */
function bestRun(sentences: string[], lang: Language, weight: (terms: Set<string>) => number, budget: number): string {
  let best: { score: number; text: string } | undefined;
  sentences.forEach((first, i) => {
    if (i > 0 && LEANING.has(foldText(wordTokens(first)[0] ?? ''))) return;
    const run: string[] = [];
    let n = 0;
    for (const s of sentences.slice(i)) {
      if (n + wordCount(s) > budget && run.length) break;
      run.push(s);
      n += wordCount(s);
    }
    if (n > budget) return;
    const score = weight(new Set(analyze(run.join(' '), lang)));
    if (score > 0 && (!best || score > best.score)) best = { score, text: run.join(' ') };
  });
  return best?.text ?? '';
}
