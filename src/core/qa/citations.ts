import type { Chunk } from '../../ports/retrieval';

export interface Citation {
  n: number;
  chunkId: string;
  moduleId?: string;
  moduleTitle?: string;
  lessonId?: string;
  lessonTitle?: string;
  /** Step, quiz question or reference section title. */
  title: string;
  /** The step the passage is (undefined for quiz explanations, module texts and references). */
  stepId?: string;
  kind: Chunk['kind'];
  source: string;
}

export function citationOf(n: number, chunk: Chunk): Citation {
  return {
    n,
    chunkId: chunk.id,
    moduleId: chunk.moduleId,
    moduleTitle: chunk.moduleTitle,
    lessonId: chunk.lessonId,
    lessonTitle: chunk.lessonTitle,
    title: chunk.title,
    stepId: chunk.stepId,
    kind: chunk.kind,
    source: chunk.source,
  };
}

export interface CheckedCitations {
  /** The text with every citation renumbered 1..k in order of first use; invalid ones removed. */
  text: string;
  /** Passage numbers (as given to the model) in the order of the new numbers. */
  used: number[];
  /** Cited numbers that were not among the retrieved passages. */
  dropped: number[];
}

/**
 * A model may cite [7] when only five passages were retrieved, or invent a source: every
 * cited number must be one of the passages it was given. Invalid markers are removed (and
 * reported so the answer can say a source was dropped); valid ones are renumbered so the
 * learner sees [1], [2]... matching the source list.
 */
export function checkCitations(text: string, retrieved: number): CheckedCitations {
  const used: number[] = [];
  const dropped: number[] = [];
  const replaced = text.replace(/\[(\d+(?:\s*[,;]\s*\d+)*)\]/g, (_, list: string) => {
    const numbers = list.split(/[,;]/).map((n) => Number(n.trim()));
    const kept: number[] = [];
    for (const n of numbers) {
      if (n >= 1 && n <= retrieved) {
        if (!used.includes(n)) used.push(n);
        kept.push(used.indexOf(n) + 1);
      } else if (!dropped.includes(n)) dropped.push(n);
    }
    return kept.length ? kept.map((k) => `[${k}]`).join('') : '';
  });
  return {
    text: replaced
      .replace(/(?<![ \t])[ \t]+(?=[.,;:!?])/g, '')
      .replace(/[ \t]{2,}/g, ' ')
      .trim(),
    used,
    dropped,
  };
}
