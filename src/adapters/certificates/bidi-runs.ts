import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

/** A piece of one line, in the order it is drawn from left to right. */
export interface VisualRun {
  /**
   * What to hand to the font's shaper. Right-to-left runs with Arabic letters stay in logical
   * order (the shaper joins the letters and lays them out right to left itself); every other
   * run is already in visual order.
   */
  text: string;
  rtl: boolean;
}

const STRONG_RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
/** Bidi control characters: they steer the algorithm but have no glyph to draw. */
const CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Splits one line into left-to-right-ordered runs with the Unicode Bidirectional Algorithm
 * (bidi-js): "التاريخ: 2 مارس 2026" in a right-to-left paragraph keeps its numbers readable,
 * and brackets are mirrored. PDF has no layout of its own, so this is what makes a mixed
 * Arabic/Latin line come out right.
 */
export function visualRuns(line: string, base: 'ltr' | 'rtl'): VisualRun[] {
  if (!line) return [];
  const levels = bidi.getEmbeddingLevels(line, base);
  const mirrored = bidi.getMirroredCharactersMap(line, levels.levels);
  // bidi-js works on UTF-16 code units; every course script is in the Basic Multilingual Plane.
  const unit = (i: number) => mirrored.get(i) ?? line[i];
  const order = bidi.getReorderedIndices(line, levels);
  const runs: VisualRun[] = [];
  let current: { indices: number[]; rtl: boolean } | undefined;
  const flush = () => {
    if (!current) return;
    const visual = current.indices.map(unit).join('');
    // The shaper reverses a run with Arabic letters itself: give it the logical order back.
    const text = current.rtl && STRONG_RTL.test(visual) ? visual.split('').reverse().join('') : visual;
    const drawn = text.replace(CONTROLS, '');
    if (drawn) runs.push({ text: drawn, rtl: current.rtl });
    current = undefined;
  };
  for (const i of order) {
    const rtl = (levels.levels[i] & 1) === 1;
    const last = current?.indices.at(-1);
    const contiguous = current && current.rtl === rtl && last !== undefined && (rtl ? i === last - 1 : i === last + 1);
    if (!contiguous) flush();
    current ??= { indices: [], rtl };
    current.indices.push(i);
  }
  flush();
  return runs;
}
