import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCourseCatalog, loadLanguage, validateCourse } from '../../src/adapters/content/course-loader';
import { CourseContentError, formatProblem, type Problem } from '../../src/adapters/content/problems';
import { FIXTURES_DIR, KNOWLEDGE_DIR } from './harness';

const at = (problems: Problem[]) => problems.map((p) => formatProblem(p));

describe('course loader on the shipped English content', () => {
  test('loads six modules of bite-sized lessons (3-6 steps of at most about 125 words, 2-4 questions) and a final bank of at least 60', async () => {
    const { course, problems } = await loadLanguage(KNOWLEDGE_DIR, 'en');
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(course!.modules.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    for (const m of course!.modules) {
      expect(m.lessons.length).toBeGreaterThanOrEqual(3);
      expect(m.quiz.length).toBeGreaterThan(0);
      expect(m.assessment.length).toBeGreaterThanOrEqual(8);
      expect(m.reflection.length).toBeGreaterThan(20);
      for (const l of m.lessons) {
        expect(l.steps.length).toBeGreaterThanOrEqual(3);
        expect(l.steps.length).toBeLessThanOrEqual(6);
        for (const step of l.steps) expect(step.body.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(130);
        expect(l.quiz.length).toBeGreaterThanOrEqual(2);
        expect(l.quiz.length).toBeLessThanOrEqual(4);
      }
    }
    expect(course!.finalAssessment.length + course!.modules.reduce((n, m) => n + m.assessment.length, 0)).toBeGreaterThanOrEqual(60);
    expect(course!.about.map((s) => s.id)[0]).toBe('course-s1');
  });

  test('every id is unique and every question has a correct answer', async () => {
    const { course } = await loadLanguage(KNOWLEDGE_DIR, 'en');
    const ids = [
      ...course!.about.map((s) => s.id),
      ...course!.modules.flatMap((m) => [m.id, ...m.quiz.map((q) => q.id), ...m.lessons.flatMap((l) => [l.id, ...l.steps.map((s) => s.id), ...l.quiz.map((q) => q.id)])]),
      ...course!.finalAssessment.map((q) => q.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    const questions = [...course!.modules.flatMap((m) => [...m.quiz, ...m.lessons.flatMap((l) => l.quiz)]), ...course!.finalAssessment];
    for (const q of questions) expect(q.options.some((o) => o.correct)).toBe(true);
    const trueFalse = questions.filter((q) => q.type === 'truefalse');
    expect(trueFalse.length).toBeGreaterThan(0);
    for (const q of trueFalse) expect(q.options.map((o) => o.id).sort()).toEqual(['false', 'true']);
  });

  test('step sources point at the heading line of the file', async () => {
    const { course } = await loadLanguage(KNOWLEDGE_DIR, 'en');
    const step = course!.modules[0].lessons[0].steps[0];
    const lines = fs.readFileSync(path.join(KNOWLEDGE_DIR, step.source.file), 'utf8').split('\n');
    expect(step.source.file).toBe('en/m1/l1.md');
    expect(lines[step.source.line - 1]).toMatch(/^## .*\{#s1\}$/);
  });

  test('the catalog serves English and falls back to it for languages without valid content', async () => {
    const catalog = await loadCourseCatalog(KNOWLEDGE_DIR);
    expect(catalog.has('en')).toBe(true);
    expect(catalog.get('ar').lang).toBe(catalog.has('ar') ? 'ar' : 'en');
  });
});

describe('validator on broken fixtures', () => {
  test('reports every English problem with its file and line', async () => {
    const problems = await validateCourse(FIXTURES_DIR, { languages: ['en'] });
    expect(at(problems)).toEqual([
      'en/final.md:5: error: the final assessment needs at least 20 questions (found 1)',
      'en/final.md:5: warning: the final assessment\'s item bank has 1 items (module.md "assessment:" and final.md); it needs at least 60 so that a new attempt draws new questions',
      'en/final.md:9: error: final-q1: a multiple-choice question needs at least one option with "correct: true"',
      'en/final.md:14: error: final-q1: unknown learning outcome "m1-o1"',
      'en/m1/l1.md:29: error: m1-l1-q2: unknown learning outcome "m1-o9"',
      'en/m1/l1.md:32: warning: a lesson should have 3 to 6 steps (found 2)',
      'en/m1/l1.md:35: error: step heading needs an id at the end, like "## Title {#s1}"',
      'en/m1/l1.md:38: error: duplicate step id "{#s1}" (first used at line 32)',
      'en/m1/l2.md:3: error: module "m2" must be "m1" (the folder this lesson is in)',
      'en/m1/l2.md:4: error: order 1 must be 2 (from the file name l2.md)',
      'en/m1/l2.md:12: error: m1-l2-q1: a true/false question needs exactly two options with ids "true" and "false" (found yes, no)',
      'en/m1/l2.md:21: warning: a lesson should have 3 to 6 steps (found 1)',
      'en/m1/l3.md:6: error: YAML: Map keys must be unique',
      'en/m1/module.md:2: error: reflection: is required',
      'en/m1/module.md:14: error: m1-q1: a single-choice question needs exactly one option with "correct: true" (found 2)',
    ]);
  });

  test('unquoted true/false option ids are accepted as strings', async () => {
    const problems = await validateCourse(FIXTURES_DIR, { languages: ['en'] });
    expect(problems.filter((p) => p.file === 'en/m1/l1.md' && p.line >= 8 && p.line <= 17)).toEqual([]);
  });

  test('the app refuses invalid English content with the same report', async () => {
    const error = await loadCourseCatalog(FIXTURES_DIR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CourseContentError);
    expect((error as CourseContentError).code).toBe('course_content_invalid');
    expect((error as CourseContentError).message).toContain('en/m1/module.md:14: error: m1-q1: a single-choice question');
  });
});

describe('translations', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-knowledge-'));
    fs.cpSync(path.join(KNOWLEDGE_DIR, 'en'), path.join(dir, 'en'), { recursive: true });
    // An unfinished Spanish folder: course.md and module 1 only, with one id English does not have.
    fs.mkdirSync(path.join(dir, 'es', 'm1'), { recursive: true });
    fs.copyFileSync(path.join(KNOWLEDGE_DIR, 'en', 'course.md'), path.join(dir, 'es', 'course.md'));
    const module = fs.readFileSync(path.join(KNOWLEDGE_DIR, 'en', 'm1', 'module.md'), 'utf8').replace('  - id: m1-o3\n', '  - id: m1-o9\n    text: Extra.\n  - id: m1-o3\n');
    fs.writeFileSync(path.join(dir, 'es', 'm1', 'module.md'), module);
    fs.copyFileSync(path.join(KNOWLEDGE_DIR, 'en', 'm1', 'l1.md'), path.join(dir, 'es', 'm1', 'l1.md'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('missing files and extra ids are reported against the English ids', async () => {
    const problems = at(await validateCourse(dir, { languages: ['es'] }));
    expect(problems).toContain('es/final.md:1: error: file not found');
    expect(problems).toContain('es/m1/l2.md:1: error: missing file (the English en/m1/l2.md exists)');
    expect(problems).toContain('es/m2/module.md:1: error: missing file (the English en/m2/module.md exists)');
    expect(problems.some((p) => /^es\/m1\/module\.md:\d+: error: id "m1-o9" does not exist in the English course/.test(p))).toBe(true);
    expect(problems.filter((p) => p.startsWith('es/m1/l1.md'))).toEqual([]);
  });

  test('an incomplete translation is not served (with a warning) while English is', async () => {
    const warnings: object[] = [];
    const catalog = await loadCourseCatalog(dir, { warn: (obj) => warnings.push(obj) });
    expect(catalog.languages).toEqual(['en']);
    expect(catalog.get('es').lang).toBe('en');
    expect(warnings).toEqual([expect.objectContaining({ lang: 'es' })]);
  });
});
