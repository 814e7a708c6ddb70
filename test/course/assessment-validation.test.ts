import path from 'node:path';
import { loadLanguage, validateCourse } from '../../src/adapters/content/course-loader';
import { formatProblem } from '../../src/adapters/content/problems';
import { finalBank } from '../../src/core/course/final-bank';
import { KNOWLEDGE_DIR, REPO_ROOT } from './harness';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'course-assessment');

describe('final-assessment item bank: loading and validation', () => {
  test('module.md "assessment:" items load with scenario flags and join final.md items in the bank, by module', async () => {
    const { course } = await loadLanguage(FIXTURE, 'en');
    const m1 = course!.modules[0];
    expect(m1.assessment.map((q) => q.id)).toEqual(['m1-a1', 'm1-a2', 'm1-a3']);
    expect(m1.assessment.map((q) => q.scenario === true)).toEqual([true, true, false]);
    expect(m1.assessment[0].source).toEqual({ file: 'en/m1/module.md', line: 27 });
    const bank = finalBank(course!);
    expect(bank).toHaveLength(3 + course!.finalAssessment.length);
    expect(new Set(bank.map((b) => b.moduleId))).toEqual(new Set(['m1']));
  });

  test('warns at file:line about copied prompts, absurd option lengths, skewed correct positions and a small bank; a translation must have the same item ids', async () => {
    const problems = (await validateCourse(FIXTURE)).map((p) => formatProblem(p));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^en\/m1\/module\.md:27: warning: m1-a1: the same question as m1-l1-q1 \(en\/m1\/l1\.md:\d+\)/),
        expect.stringMatching(/^en\/m1\/module\.md:50: warning: m1-a2: option "b" has 105 characters and option "c" 2/),
        expect.stringMatching(/^en\/final\.md:\d+: warning: \d+% of the 26 single-choice items in en have the correct answer at position a/),
        expect.stringMatching(/^en\/final\.md:\d+: warning: the final assessment's item bank has 23 items/),
        expect.stringMatching(/^es\/m1\/module\.md:1: error: missing id "m1-a3"/),
      ]),
    );
    // Items with similar options and a module quiz item are not flagged.
    expect(problems.filter((p) => p.includes('m1-a3') && p.startsWith('en/'))).toEqual([]);
    expect(problems.filter((p) => p.includes('m1-q1:'))).toEqual([]);
  });

  test('the shipped English course has a bank to draw balanced final attempts from', async () => {
    const { course } = await loadLanguage(KNOWLEDGE_DIR, 'en');
    const bank = finalBank(course!);
    for (const m of course!.modules) expect(bank.filter((b) => b.moduleId === m.id).length).toBeGreaterThanOrEqual(4);
    const ids = bank.map((b) => b.question.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
