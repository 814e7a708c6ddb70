import { foldText } from './text-analysis';

/**
 * The eval's pass rule: for every group, at least one alternative appears in the answer,
 * compared case- and accent-insensitively, with Eastern Arabic digits read as Western ones.
 */
export function meetsExpectations(answer: string, expect: string[][]): boolean {
  return countGroupsMet(answer, expect) === expect.length;
}

export function countGroupsMet(text: string, expect: string[][]): number {
  const folded = foldText(text);
  return expect.filter((group) => group.some((alt) => folded.includes(foldText(alt)))).length;
}
