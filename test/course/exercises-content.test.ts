import path from 'node:path';
import { loadLanguage, validateCourse } from '../../src/adapters/content/course-loader';
import { REPO_ROOT } from './harness';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'course-exercises');

describe('exercises in lesson front matter', () => {
  it('loads prompt and redaction exercises into the lesson, in order', async () => {
    const { course } = await loadLanguage(DIR, 'en');
    const lesson = course!.modules[0].lessons.find((l) => l.id === 'm1-l1')!;
    expect(lesson.exercises!.map((x) => [x.id, x.kind])).toEqual([
      ['m1-l1-x1', 'prompt'],
      ['m1-l1-x2', 'redaction'],
    ]);
    expect(lesson.exercises![0].checks.map((c) => c.id)).toEqual(['role', 'task', 'context', 'format', 'constraints', 'examples']);
    expect(lesson.exercises![1].mustRemove.map((r) => r.label)).toEqual(['the name', 'the e-mail address', 'the phone number', 'the street address']);
    expect(lesson.exercises![0].source).toEqual({ file: 'en/m1/l1.md', line: 20 });
  });

  it('reports each broken exercise at its file and line', async () => {
    const { problems } = await loadLanguage(DIR, 'en');
    const of = (file: string) => problems.filter((p) => p.file === file && p.severity === 'error').map((p) => `${p.line}: ${p.message}`);
    expect(of('en/m1/l2.md')).toEqual([
      // The checks list starts on line 25; the mustRemove text is on line 54; the third exercise starts on line 57.
      '25: m1-l2-x1: a prompt exercise needs exactly the checks role, task, context, format, constraints, examples (found role, task, context, format, tone)',
      '54: m1-l2-x2: "Joe Bloggs" does not occur in the material',
      '57: m1-l2-y3: exercise id must look like m1-l2-x1',
      '57: m1-l2-y3: a checklist exercise needs "checks"',
      '62: m1-l2-y3: unknown learning outcome "m1-o9"',
    ]);
  });

  it('requires translations to keep the exercise ids, kinds and check ids', async () => {
    const problems = await validateCourse(DIR, { languages: ['es'] });
    const messages = problems.filter((p) => p.file === 'es/m1/l1.md').map((p) => p.message);
    // The Spanish file renamed the check "examples" to "sample".
    expect(messages).toContain('id "m1-l1-x1 check sample" does not exist in the English course (course-exercises/en)');
    // es/m1/l2.md keeps the English ids (its own errors are the same as in English): no cross-language report.
    const drift = problems.filter((p) => p.file === 'es/m1/l2.md' && (p.message.includes('English course') || p.message.startsWith('missing id')));
    expect(drift).toEqual([]);
  });

  it('states the duration computed from the content where course.md says {{duration}}', async () => {
    const { course } = await loadLanguage(DIR, 'en');
    expect(course!.description).toBe('A tiny course of about 1 hour used by the exercise tests.');
    expect(course!.about[0].body).toContain('This fixture course takes about 1 hour.');
    const es = (await loadLanguage(DIR, 'es')).course!;
    expect(es.description).toContain('alrededor de 1 hora');
  });
});
